import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, connect } from '../helpers/socket'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
let mallory: TestUser

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol, mallory] = (await Promise.all([1, 2, 3, 4].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser, TestUser]
})
afterAll(() => srv.destroy())

const send = (user: TestUser, conversationId: string, text: string, clientId: string = randomUUID()) =>
  api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body: { clientId, text } })

describe('direct chats', () => {
  it('the same pair always gets the same conversation, whoever starts it', async () => {
    const first = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
    expect(first.status).toBe(201)
    const again = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
    const reverse = await api(srv.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'direct', userId: alice.user.id } })
    expect(again.status).toBe(200)
    expect(reverse.status).toBe(200)
    expect(again.body.conversation.id).toBe(first.body.conversation.id)
    expect(reverse.body.conversation.id).toBe(first.body.conversation.id)
    expect(first.body.conversation).toMatchObject({ kind: 'direct', title: null, lastSeq: 0, lastMessage: null, unreadCount: 0 })
    expect(first.body.conversation.members.map((m: { user: { id: string } }) => m.user.id).sort()).toEqual(
      [alice.user.id, bob.user.id].sort()
    )
  })

  it('concurrent starts of the same chat still make one conversation', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api(srv.url, 'POST', '/conversations', {
          token: i % 2 ? carol.accessToken : mallory.accessToken,
          body: { kind: 'direct', userId: i % 2 ? mallory.user.id : carol.user.id }
        })
      )
    )
    expect(new Set(results.map((r) => r.body.conversation.id)).size).toBe(1)
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
  })

  it('counts unread messages for the reader, not the writer, until they are read', async () => {
    const conv = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: carol.user.id } }))
      .body.conversation
    for (const text of ['one', 'two', 'three']) expect((await send(alice, conv.id, text)).status).toBe(201)
    const forCarol = (await api(srv.url, 'GET', `/conversations/${conv.id}`, { token: carol.accessToken })).body.conversation
    const forAlice = (await api(srv.url, 'GET', `/conversations/${conv.id}`, { token: alice.accessToken })).body.conversation
    expect(forCarol).toMatchObject({ lastSeq: 3, unreadCount: 3, readSeq: 0 })
    expect(forCarol.lastMessage).toMatchObject({ text: 'three', senderId: alice.user.id, seq: 3 })
    expect(forAlice.unreadCount).toBe(0)

    const read = await api(srv.url, 'POST', `/conversations/${conv.id}/read`, { token: carol.accessToken, body: { seq: 2 } })
    expect(read.body.readSeq).toBe(2)
    // A read position never moves back, and never past the last message.
    expect((await api(srv.url, 'POST', `/conversations/${conv.id}/read`, { token: carol.accessToken, body: { seq: 1 } })).body.readSeq).toBe(2)
    expect((await api(srv.url, 'POST', `/conversations/${conv.id}/read`, { token: carol.accessToken, body: { seq: 99 } })).body.readSeq).toBe(3)
    const list = (await api(srv.url, 'GET', '/conversations', { token: carol.accessToken })).body.conversations
    expect(list.find((c: { id: string }) => c.id === conv.id).unreadCount).toBe(0)
  })
})

describe('groups', () => {
  it('a group of three: creator is admin, everyone reads and writes, newest activity first', async () => {
    const created = await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: '  Team  ', memberIds: [bob.user.id, carol.user.id, bob.user.id, alice.user.id] }
    })
    expect(created.status).toBe(201)
    const group = created.body.conversation
    expect(group.title).toBe('Team')
    const roles = Object.fromEntries(group.members.map((m: { user: { id: string }; role: string }) => [m.user.id, m.role]))
    expect(roles).toEqual({ [alice.user.id]: 'admin', [bob.user.id]: 'member', [carol.user.id]: 'member' })

    expect((await send(bob, group.id, 'hi from bob')).status).toBe(201)
    expect((await send(carol, group.id, 'hi from carol')).status).toBe(201)
    const page = await api(srv.url, 'GET', `/conversations/${group.id}/messages`, { token: alice.accessToken })
    expect(page.body.messages[0]).toMatchObject({ kind: 'system', senderId: alice.user.id, system: { type: 'group_created', title: 'Team' } })
    expect(page.body.messages.slice(1).map((m: { text: string; kind: string }) => [m.kind, m.text])).toEqual([
      ['text', 'hi from bob'],
      ['text', 'hi from carol']
    ])
    expect(page.body.hasMore).toBe(false)

    const list = (await api(srv.url, 'GET', '/conversations', { token: alice.accessToken })).body.conversations
    expect(list[0].id).toBe(group.id)
  })

  it('refuses unknown members', async () => {
    const res = await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'x', memberIds: [randomUUID()] }
    })
    expect(res.status).toBe(404)
  })
})

describe('messages', () => {
  it('pages by sequence number in both directions', async () => {
    // A chat with oneself ("note to self") holds only what this test sends.
    const group = (await api(srv.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'direct', userId: bob.user.id } }))
      .body.conversation
    for (let i = 1; i <= 25; i++) expect((await send(bob, group.id, `m${i}`)).status).toBe(201)
    const texts = (r: { body: { messages: { text: string }[] } }) => r.body.messages.map((m) => m.text)

    const latest = await api(srv.url, 'GET', `/conversations/${group.id}/messages?limit=10`, { token: bob.accessToken })
    expect(texts(latest)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 16}`))
    expect(latest.body.hasMore).toBe(true)

    const older = await api(srv.url, 'GET', `/conversations/${group.id}/messages?before=16&limit=10`, { token: bob.accessToken })
    expect(texts(older)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 6}`))
    const oldest = await api(srv.url, 'GET', `/conversations/${group.id}/messages?before=6&limit=10`, { token: bob.accessToken })
    expect(texts(oldest)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
    expect(oldest.body.hasMore).toBe(false)

    // Catching up from a cursor, page by page, gives every message once, in order.
    const seen: string[] = []
    let cursor = 0
    for (;;) {
      const res = await api(srv.url, 'GET', `/conversations/${group.id}/messages?after=${cursor}&limit=7`, { token: bob.accessToken })
      seen.push(...texts(res))
      cursor = res.body.messages.at(-1)?.seq ?? cursor
      if (!res.body.hasMore) break
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m${i + 1}`))
  })

  it('a retried send with the same clientId returns the original, never a duplicate', async () => {
    const conv = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } }))
      .body.conversation
    const clientId = randomUUID()
    const first = await send(alice, conv.id, 'exactly once', clientId)
    const retry = await send(alice, conv.id, 'exactly once', clientId)
    expect(first.status).toBe(201)
    expect(retry.status).toBe(200)
    expect(retry.body.message).toEqual(first.body.message)
    const concurrentId = randomUUID()
    const burst = await Promise.all(Array.from({ length: 5 }, () => send(alice, conv.id, 'burst', concurrentId)))
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1)
    expect(new Set(burst.map((r) => r.body.message.id)).size).toBe(1)
    const all = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?limit=200`, { token: bob.accessToken })
    expect(all.body.messages.filter((m: { clientId: string }) => m.clientId === clientId)).toHaveLength(1)
    expect(all.body.messages.filter((m: { clientId: string }) => m.clientId === concurrentId)).toHaveLength(1)
  })

  it('keeps text exactly as written (unicode, newlines, markup)', async () => {
    const conv = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } }))
      .body.conversation
    const text = 'Ünïcödé 🎉\nline two\t<b>not html</b> "quotes" \\ back'
    const sent = await send(alice, conv.id, text)
    expect(sent.body.message.text).toBe(text)
    const page = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?limit=1`, { token: bob.accessToken })
    expect(page.body.messages[0].text).toBe(text)
  })
})

describe('authorization', () => {
  it('a non-member can neither see, read nor write a conversation', async () => {
    const conv = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } }))
      .body.conversation
    const get = await api(srv.url, 'GET', `/conversations/${conv.id}`, { token: mallory.accessToken })
    const read = await api(srv.url, 'GET', `/conversations/${conv.id}/messages`, { token: mallory.accessToken })
    const write = await send(mallory, conv.id, 'let me in')
    const mark = await api(srv.url, 'POST', `/conversations/${conv.id}/read`, { token: mallory.accessToken, body: { seq: 1 } })
    for (const res of [get, read, write, mark]) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    const list = (await api(srv.url, 'GET', '/conversations', { token: mallory.accessToken })).body.conversations
    expect(list.map((c: { id: string }) => c.id)).not.toContain(conv.id)
    const page = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?limit=200`, { token: alice.accessToken })
    expect(page.body.messages.map((m: { text: string }) => m.text)).not.toContain('let me in')
  })

  it('unknown conversations are 404, and every route needs a token', async () => {
    expect((await api(srv.url, 'GET', `/conversations/${randomUUID()}`, { token: alice.accessToken })).status).toBe(404)
    for (const [method, path] of [
      ['GET', '/me'],
      ['GET', '/conversations'],
      ['GET', '/users?q=a'],
      ['POST', '/conversations']
    ] as const) {
      const res = await api(srv.url, method, path, { body: method === 'POST' ? {} : undefined })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    }
  })
})

describe('clear history', () => {
  it('hides everything before now for the caller only, on every device; new messages show as usual', async () => {
    const conv = (await api(srv.url, 'POST', '/conversations', { token: carol.accessToken, body: { kind: 'direct', userId: bob.user.id } }))
      .body.conversation
    for (const text of ['old 1', 'old 2', 'old 3']) await send(bob, conv.id, text)
    const carolPhone = await connect(srv.url, carol.accessToken)
    const phoneTold = collect(carolPhone, 'conversation:cleared', 1)
    const cleared = await api(srv.url, 'POST', `/conversations/${conv.id}/clear`, { token: carol.accessToken })
    expect(cleared.status).toBe(200)
    expect(cleared.body.clearedSeq).toBe(3)
    expect((await phoneTold)[0]).toEqual({ conversationId: conv.id, clearedSeq: 3 })
    carolPhone.close()

    const forCarol = (await api(srv.url, 'GET', `/conversations/${conv.id}`, { token: carol.accessToken })).body.conversation
    expect(forCarol).toMatchObject({ clearedSeq: 3, lastMessage: null, unreadCount: 0 })
    const carolPage = await api(srv.url, 'GET', `/conversations/${conv.id}/messages`, { token: carol.accessToken })
    expect(carolPage.body).toEqual({ messages: [], hasMore: false, expiredSeq: 0, people: [] })
    const fromCursor = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?after=0`, { token: carol.accessToken })
    expect(fromCursor.body.messages).toEqual([])

    // Bob still has all of it.
    const bobPage = await api(srv.url, 'GET', `/conversations/${conv.id}/messages`, { token: bob.accessToken })
    expect(bobPage.body.messages.map((m: { text: string }) => m.text)).toEqual(['old 1', 'old 2', 'old 3'])

    await send(bob, conv.id, 'new 1')
    await send(bob, conv.id, 'new 2')
    const after = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?limit=1`, { token: carol.accessToken })
    expect(after.body.messages.map((m: { text: string }) => m.text)).toEqual(['new 2'])
    expect(after.body.hasMore).toBe(true)
    const older = await api(srv.url, 'GET', `/conversations/${conv.id}/messages?before=5`, { token: carol.accessToken })
    expect(older.body).toMatchObject({ hasMore: false })
    expect(older.body.messages.map((m: { text: string }) => m.text)).toEqual(['new 1'])
    const view = (await api(srv.url, 'GET', `/conversations/${conv.id}`, { token: carol.accessToken })).body.conversation
    expect(view).toMatchObject({ unreadCount: 2, lastMessage: expect.objectContaining({ text: 'new 2' }) })
  })
})
