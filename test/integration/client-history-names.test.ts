// Issue 26 item 2, through the client core: a device that never met a former
// member (a fresh sign-in) learns their name from the history it fetches,
// the newest page and older ones alike, and keeps it in its cache.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { PASSWORD, signUp, startClient, waitSynced, pageAll, type TestClient } from '../helpers/client'

let srv: TestServer
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: 1000 } })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

async function client(dir?: string): Promise<TestClient> {
  const c = await startClient(dir)
  clients.push(c)
  return c
}

it('a fresh sign-in names people who left, from the newest page and from older pages, and still does after a restart', async () => {
  const [ann, bob, cat, dan] = await Promise.all([client(), client(), client(), client()])
  const [a, b, c, d] = await Promise.all([signUp(ann, srv.url), signUp(bob, srv.url), signUp(cat, srv.url), signUp(dan, srv.url)])
  const group = await ann.call('conversations.createGroup', { title: 'Ops', memberIds: [b.me.id, c.me.id, d.me.id] })
  await Promise.all([bob, dan].map((x) => x.waitFor('conversations', (e) => e.upserted.some((y) => y.id === group.id))))
  // Dan speaks, leaves, and 60 messages later his words are beyond the newest page.
  await dan.call('messages.send', { conversationId: group.id, text: 'dan was here' })
  await dan.call('conversations.leave', { conversationId: group.id })
  for (let i = 0; i < 60; i++) await ann.call('messages.send', { conversationId: group.id, text: `filler ${i}` })
  // Bob is removed, rejoins by code and leaves: the newest page names him.
  await ann.call('conversations.removeMember', { conversationId: group.id, userId: b.me.id })
  const code = await ann.call('conversations.createJoinCode', { conversationId: group.id })
  await bob.call('conversations.join', { code: code.code })
  await bob.call('conversations.leave', { conversationId: group.id })

  // Cat signs in on a new device.
  const phone = await client()
  const since = phone.mark()
  await phone.call('session.login', { serverUrl: srv.url, username: c.me.username, password: PASSWORD })
  await waitSynced(phone, since)
  const known = async (): Promise<Record<string, string>> => Object.fromEntries((await phone.call('users.known')).map((u) => [u.id, u.displayName]))
  expect(await known()).toMatchObject({ [b.me.id]: b.me.displayName, [a.me.id]: a.me.displayName })
  expect(phone.payloads('people').flat().map((u) => u.id)).toContain(b.me.id)
  expect(await known()).not.toHaveProperty(d.me.id)
  // Scrolling up fetches the older page that names Dan.
  expect((await pageAll(phone, group.id)).some((m) => m.text === 'dan was here')).toBe(true)
  expect(await known()).toMatchObject({ [d.me.id]: d.me.displayName })

  // Closed and opened again, the cache still names both (nothing needs fetching again).
  await phone.close()
  const again = await client(phone.userDataDir)
  expect(Object.fromEntries((await again.call('users.known')).map((u) => [u.id, u.displayName]))).toMatchObject({
    [b.me.id]: b.me.displayName,
    [d.me.id]: d.me.displayName
  })
})
