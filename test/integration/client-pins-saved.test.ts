// Issue 20: pinned and saved messages through the client core: kept by the
// server's events, on every device of the user, and shown offline from the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, PASSWORD, startClient, waitSynced, type TestClient } from '../helpers/client'

let srv: TestServer
const clients: TestClient[] = []
const track = (...c: TestClient[]): void => void clients.push(...c)

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

async function sent(client: TestClient, conversationId: string, text: string): Promise<number> {
  const since = client.mark()
  await client.call('messages.send', { conversationId, text })
  const batch = await client.waitFor('messages', (m) => m.upserted.some((x) => x.text === text), 10_000, since)
  return batch.upserted.find((x) => x.text === text)!.seq
}

describe('pins in the client core', () => {
  it('one side pins: the other hears the whole list; a deleted pinned message leaves it; unpinning empties it', async () => {
    const { a, b, aMe, conversationId } = await directChat(srv.url)
    track(a, b)
    const seq = await sent(a, conversationId, 'the wifi password is on the fridge')
    const keep = await sent(a, conversationId, 'and the printer is in room 2')
    const pins = await b.call('pins.pin', { conversationId, seq })
    expect(pins).toMatchObject([{ seq, message: { text: 'the wifi password is on the fridge' } }])
    const heard = await a.waitFor('pins', (p) => p.conversationId === conversationId && p.pins.length === 1)
    expect(heard.pins[0]).toMatchObject({ seq, pinnedBy: expect.any(String) })
    expect(heard.pins[0]!.pinnedBy).not.toBe(aMe.id)
    expect(await a.call('pins.list', { conversationId })).toEqual(heard.pins)

    await a.call('pins.pin', { conversationId, seq: keep })
    await b.waitFor('pins', (p) => p.pins.length === 2)
    const since = b.mark()
    await a.call('messages.delete', { conversationId, seq })
    const after = await b.waitFor('pins', (p) => p.conversationId === conversationId, 10_000, since)
    expect(after.pins.map((p) => p.seq)).toEqual([keep])

    const emptied = b.mark()
    expect(await a.call('pins.unpin', { conversationId, seq: keep })).toEqual([])
    await b.waitFor('pins', (p) => p.conversationId === conversationId && p.pins.length === 0, 10_000, emptied)
  })
})

describe('saved messages in the client core', () => {
  it('saved on one device shows on the other; removed there, it goes here; both follow an edit', async () => {
    const { a, b, bMe, conversationId } = await directChat(srv.url)
    track(a, b)
    const second = await startClient()
    track(second)
    const since = second.mark()
    await second.call('session.login', { serverUrl: srv.url, username: bMe.username, password: PASSWORD })
    await waitSynced(second, since)
    const seq = await sent(a, conversationId, 'draft agenda')

    const item = await b.call('saved.save', { conversationId, seq })
    expect(item).toMatchObject({ conversationId, seq, message: { text: 'draft agenda' } })
    await second.waitFor('saved', (s) => s.some((x) => x.seq === seq && x.conversationId === conversationId))
    expect((await second.call('saved.list')).map((x) => x.message?.text)).toEqual(['draft agenda'])

    await a.call('messages.edit', { conversationId, seq, text: 'final agenda' })
    await b.waitFor('saved', (s) => s[0]?.message?.text === 'final agenda')

    await second.call('saved.unsave', { conversationId, seq })
    await b.waitFor('saved', (s) => s.length === 0)
    expect(await b.call('saved.list')).toEqual([])
  })

  it('pins and saved messages show offline, from the cache, after a restart of the app', async () => {
    const own = await startServer()
    try {
      const { a, b, conversationId } = await directChat(own.url)
      track(a, b)
      const seq = await sent(a, conversationId, 'kept for later')
      await a.call('pins.pin', { conversationId, seq })
      await a.call('saved.save', { conversationId, seq })
      await own.stop()
      await a.waitFor('connection', (c) => c.status !== 'online' && c.status !== 'connecting')
      await a.close()

      const again = await startClient(a.userDataDir)
      track(again)
      expect(await again.call('pins.list', { conversationId })).toMatchObject([{ seq, message: { text: 'kept for later' } }])
      expect(await again.call('saved.list')).toMatchObject([{ conversationId, seq, message: { text: 'kept for later' } }])
      // Changing needs the server: a clear error, not a silent no-op.
      expect((await again.callError('pins.unpin', { conversationId, seq })).code).toMatch(/unreachable|timeout|unavailable/)
    } finally {
      await own.destroy()
    }
  })
})
