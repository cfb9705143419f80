// Drafts through the client core: kept in the account's cache (offline and
// across restarts), pushed to the server after a pause in typing and again
// after a reconnect, shown on the user's other devices, emptied everywhere
// by a send.
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

/** The same user on a second device (its own session). */
async function secondDevice(serverUrl: string, username: string): Promise<TestClient> {
  const [device] = track(await startClient())
  const since = device!.mark()
  await device!.call('session.login', { serverUrl, username, password: PASSWORD })
  await waitSynced(device!, since)
  return device!
}

describe('drafts through the core', () => {
  it("typed on one device shows on the other; sending empties it on both", async () => {
    const [laptop] = track(await startClient())
    const { me } = await signUp(laptop!, srv.url)
    const phone = await secondDevice(srv.url, me.username)
    const group = await laptop!.call('conversations.createGroup', { title: 'Lunch', memberIds: [] })
    await phone.waitFor('conversations', (c) => c.upserted.some((x) => x.id === group.id))

    const since = phone.mark()
    const set = await laptop!.call('drafts.set', { conversationId: group.id, text: 'Lunch at' })
    expect(set).toMatchObject({ conversationId: group.id, threadRoot: null, text: 'Lunch at', replyTo: null })
    expect(await laptop!.call('drafts.list')).toEqual([set])
    await phone.waitFor('drafts', (d) => d.drafts.some((x) => x.text === 'Lunch at'), 10_000, since)
    expect(await phone.call('drafts.list')).toEqual([set])

    // The window sends, then empties its composer (which sets the draft empty).
    const sent = phone.mark()
    await laptop!.call('messages.send', { conversationId: group.id, text: 'Lunch at 12?' })
    await laptop!.call('drafts.set', { conversationId: group.id, text: '' })
    await phone.waitFor('drafts', (d) => d.drafts.some((x) => x.conversationId === group.id && x.text === ''), 10_000, sent)
    expect(await phone.call('drafts.list')).toEqual([])
    expect(await laptop!.call('drafts.list')).toEqual([])
  })

  it('written offline, kept across a restart of the app, sent after the reconnect; the server keeps drafts across its own restart', async () => {
    const own = await startServer()
    const port = Number(new URL(own.url).port)
    let again: TestServer | null = null
    try {
      const [laptop] = track(await startClient())
      const { me } = await signUp(laptop!, own.url)
      const phone = await secondDevice(own.url, me.username)
      const [first, second] = [
        await laptop!.call('conversations.createGroup', { title: 'First', memberIds: [] }),
        await laptop!.call('conversations.createGroup', { title: 'Second', memberIds: [] })
      ]
      const stored = phone.mark()
      await laptop!.call('drafts.set', { conversationId: first.id, text: 'kept by the server' })
      await phone.waitFor('drafts', (d) => d.drafts.some((x) => x.text === 'kept by the server'), 10_000, stored)

      await own.stop()
      await laptop!.waitFor('connection', (c) => c.status !== 'online' && c.status !== 'connecting')
      await laptop!.call('drafts.set', { conversationId: second.id, text: 'written offline' })
      await laptop!.close()

      // The app starts again, still offline: the draft is there.
      const [laptop2] = track(await startClient(laptop!.userDataDir))
      expect((await laptop2!.call('drafts.list')).map((d) => d.text).sort()).toEqual(['kept by the server', 'written offline'])

      again = await startServer({ port }, own.dataDir)
      const back = phone.mark()
      await Promise.all([laptop2!.call('connection.retry'), phone.call('connection.retry')])
      await phone.waitFor('drafts', (d) => d.drafts.some((x) => x.text === 'written offline'), 20_000, back)

      // A device signed in now gets both from the server.
      const tablet = await secondDevice(again.url, me.username)
      await tablet.waitFor('drafts', (d) => d.drafts.some((x) => x.text === 'written offline'), 10_000)
      expect((await tablet.call('drafts.list')).map((d) => [d.conversationId, d.text]).sort()).toEqual(
        [
          [first.id, 'kept by the server'],
          [second.id, 'written offline']
        ].sort()
      )
    } finally {
      await again?.destroy()
      await own.destroy()
    }
  })
})
