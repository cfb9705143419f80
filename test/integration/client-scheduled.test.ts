// Scheduled messages through the client core (issue 21 item 4): scheduled,
// edited and sent now from one device while the other's list follows; the
// list is cached (readable offline, across a restart); scheduling offline is
// refused with a code the window words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUp, startClient, waitSynced, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

const clients: TestClient[] = []
let srv: TestServer

const track = (...cs: TestClient[]): TestClient[] => {
  clients.push(...cs)
  return cs
}

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

const inHours = (h: number): string => new Date(Date.now() + h * 3600_000).toISOString()

describe('scheduled messages through the core', () => {
  it('scheduled on one device, listed on the other; edited and sent now, the list empties on both', async () => {
    const [laptop] = track(await startClient())
    const { me } = await signUp(laptop!, srv.url)
    const [phone] = track(await startClient())
    const since = phone!.mark()
    await phone!.call('session.login', { serverUrl: srv.url, username: me.username, password: PASSWORD })
    await waitSynced(phone!, since)
    const group = await laptop!.call('conversations.createGroup', { title: 'Later', memberIds: [] })

    const listed = phone!.mark()
    const made = await laptop!.call('scheduled.create', { conversationId: group.id, text: 'good morning', sendAt: inHours(1) })
    expect(made).toMatchObject({ conversationId: group.id, text: 'good morning' })
    expect(await laptop!.call('scheduled.list')).toEqual([made])
    await phone!.waitFor('scheduled', (list) => list.some((s) => s.id === made.id), 10_000, listed)

    const edited = await laptop!.call('scheduled.update', { id: made.id, text: 'good morning, all' })
    expect(edited.text).toBe('good morning, all')
    await phone!.waitFor('scheduled', (list) => list.some((s) => s.text === 'good morning, all'), 10_000)

    const emptied = phone!.mark()
    const arrived = laptop!.mark()
    await laptop!.call('scheduled.sendNow', { id: made.id })
    expect(await laptop!.call('scheduled.list')).toEqual([])
    await phone!.waitFor('scheduled', (list) => list.length === 0, 10_000, emptied)
    await laptop!.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'good morning, all'), 10_000, arrived)
  })

  it('keeps the list offline and across a restart; scheduling offline is refused as unreachable', async () => {
    const own = await startServer()
    try {
      const [laptop] = track(await startClient())
      await signUp(laptop!, own.url)
      const group = await laptop!.call('conversations.createGroup', { title: 'Offline', memberIds: [] })
      const made = await laptop!.call('scheduled.create', { conversationId: group.id, text: 'tomorrow', sendAt: inHours(20) })

      await own.stop()
      await laptop!.waitFor('connection', (c) => c.status !== 'online' && c.status !== 'connecting')
      const refused = await laptop!.callError('scheduled.create', { conversationId: group.id, text: 'not now', sendAt: inHours(2) })
      expect(refused.code).toBe('unreachable')
      await laptop!.close()

      const [again] = track(await startClient(laptop!.userDataDir))
      expect((await again!.call('scheduled.list')).map((s) => s.id)).toEqual([made.id])
    } finally {
      await own.destroy()
    }
  })
})
