// Per-user send budgets (issue 22, item 2): a burst past the budget is refused
// with rate_limited and when to retry, nothing refused is stored or fanned
// out, other users are unaffected, and REST answers 429 with Retry-After.
// The windows are a minute long so no refill happens during a test.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import type { Message } from '../../src/shared/schemas/messages'
import type { SendLimit } from '../../server/services/send-limits'
import { createUpload } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { emitAck, SocketPool } from '../helpers/socket'
import { record } from '../helpers/events'

const MINUTE = 60_000
/** 3 at the rate and 2 more from the burst: 5 a minute. */
const SMALL: SendLimit = { rate: { points: 3, durationMs: MINUTE }, burst: { points: 2, durationMs: MINUTE } }
const BUDGET = 5

let srv: TestServer
const sockets = new SocketPool()

beforeAll(async () => {
  srv = await startServer({ sendLimits: { messages: SMALL, edits: SMALL, reactions: SMALL, uploads: SMALL } })
})
afterEach(() => sockets.closeAll())
afterAll(() => srv.destroy())

async function chat(): Promise<{ alice: TestUser; bob: TestUser; carol: TestUser; id: string }> {
  const [alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
  const group = await api(srv.url, 'POST', '/conversations', {
    token: alice.accessToken,
    body: { kind: 'group', title: 'Limits', memberIds: [bob.user.id, carol.user.id] }
  })
  return { alice, bob, carol, id: group.body.conversation.id }
}

const history = async (user: TestUser, id: string): Promise<Message[]> =>
  (await api(srv.url, 'GET', `/conversations/${id}/messages?limit=100`, { token: user.accessToken })).body.messages

const userMessages = (messages: Message[]): Message[] => messages.filter((m) => m.kind !== 'system')

function expectLimited(result: Result<unknown>): void {
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.error.code).toBe('rate_limited')
  expect(result.error.retryAfterMs).toBeGreaterThan(0)
  expect(result.error.retryAfterMs).toBeLessThanOrEqual(MINUTE)
}

describe('message:send', () => {
  it('a burst past the budget from one socket is refused with retryAfterMs; nothing refused is stored or fanned out', async () => {
    const { alice, bob, carol, id } = await chat()
    const [sender, listener, third] = await Promise.all([alice, bob, carol].map((u) => sockets.connect(srv.url, u.accessToken)))
    const heard = record(listener!, 'message:new')
    const results = await Promise.all(
      Array.from({ length: 3 * BUDGET }, (_, i) => emitAck<{ message: Message }>(sender!, 'message:send', { conversationId: id, clientId: randomUUID(), text: `burst ${i}` }))
    )
    const accepted = results.filter((r) => r.ok)
    expect(accepted).toHaveLength(BUDGET)
    for (const refused of results.filter((r) => !r.ok)) expectLimited(refused)

    const stored = userMessages(await history(bob, id))
    expect(stored.map((m) => m.text).sort()).toEqual(accepted.map((r) => (r.ok ? r.data.message.text : '')).sort())
    // Bob heard exactly the stored ones: wait for a later message (Carol's) to reach him too.
    const mine = await emitAck<{ message: Message }>(third!, 'message:send', { conversationId: id, clientId: randomUUID(), text: 'after' })
    expect(mine.ok).toBe(true)
    await expect.poll(() => heard.some((m) => m.message.text === 'after')).toBe(true)
    expect(heard.filter((m) => m.message.senderId === alice.user.id)).toHaveLength(BUDGET)
  })

  it('counts per user across sockets and sessions; another user is unaffected', async () => {
    const { alice, bob, carol, id } = await chat()
    const again = (await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: 'correct horse battery' } })).body
    const [laptop, phone, other] = await Promise.all([
      sockets.connect(srv.url, alice.accessToken),
      sockets.connect(srv.url, again.accessToken),
      sockets.connect(srv.url, carol.accessToken)
    ])
    const sends = Array.from({ length: BUDGET + 2 }, (_, i) =>
      emitAck(i % 2 ? phone : laptop, 'message:send', { conversationId: id, clientId: randomUUID(), text: `device ${i}` })
    )
    expect((await Promise.all(sends)).filter((r) => r.ok)).toHaveLength(BUDGET)
    // Carol's budget is her own.
    for (let i = 0; i < BUDGET; i++) {
      expect((await emitAck(other, 'message:send', { conversationId: id, clientId: randomUUID(), text: `carol ${i}` })).ok).toBe(true)
    }
    expect(userMessages(await history(bob, id))).toHaveLength(2 * BUDGET)
  })
})

describe('REST', () => {
  it('a send past the budget is 429 rate_limited with Retry-After', async () => {
    const { alice, id } = await chat()
    const send = () => api(srv.url, 'POST', `/conversations/${id}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'hi' } })
    for (let i = 0; i < BUDGET; i++) expect((await send()).status).toBe(201)
    const refused = await send()
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    const seconds = Number(refused.headers.get('retry-after'))
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBe(Math.ceil(refused.body.error.retryAfterMs / 1000))
  })

  it('edits and reactions have budgets of their own', async () => {
    const { alice, bob, id } = await chat()
    const seq = (await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'v0' } })).body.message.seq
    const edit = (i: number) => api(srv.url, 'PATCH', `/conversations/${id}/messages/${seq}`, { token: alice.accessToken, body: { text: `v${i}` } })
    for (let i = 1; i <= BUDGET; i++) expect((await edit(i)).status).toBe(200)
    const refusedEdit = await edit(99)
    expect(refusedEdit.status).toBe(429)
    expect(refusedEdit.body.error).toMatchObject({ code: 'rate_limited' })

    // Bob's reactions, toggled fast: his edits budget (untouched) and Alice's spent one do not matter.
    const react = () => api(srv.url, 'POST', `/conversations/${id}/messages/${seq}/reactions`, { token: bob.accessToken, body: { emoji: '👍' } })
    for (let i = 0; i < BUDGET; i++) expect((await react()).status).toBe(200)
    const refusedReaction = await react()
    expect(refusedReaction.status).toBe(429)
    expect(refusedReaction.headers.get('retry-after')).toMatch(/^\d+$/)
    // The refused edit changed nothing: the text is the last accepted one.
    expect(userMessages(await history(bob, id)).find((m) => m.seq === seq)).toMatchObject({ text: `v${BUDGET}`, reactions: { '👍': [bob.user.id] } })
  })

  it('creating uploads has a budget of its own', async () => {
    const { alice, id } = await chat()
    const create = (i: number) => createUpload(srv.url, alice, { conversationId: id, name: `f${i}.txt`, size: 10 })
    for (let i = 0; i < BUDGET; i++) expect((await create(i)).status).toBe(201)
    const refused = await create(99)
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })
})

describe('the socket path of edits and reactions', () => {
  it('answers rate_limited with retryAfterMs on the ack', async () => {
    const { alice, id } = await chat()
    const socket = await sockets.connect(srv.url, alice.accessToken)
    const sent = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: id, clientId: randomUUID(), text: 'x' })
    const seq = sent.ok ? sent.data.message.seq : 0
    const reactions = await Promise.all(Array.from({ length: BUDGET + 1 }, (_, i) => emitAck(socket, 'message:react', { conversationId: id, seq, emoji: i % 2 ? '🎉' : '👍' })))
    expectLimited(reactions.find((r) => !r.ok)!)
    const edits = await Promise.all(Array.from({ length: BUDGET + 1 }, (_, i) => emitAck(socket, 'message:edit', { conversationId: id, seq, text: `e${i}` })))
    expect(edits.filter((r) => r.ok)).toHaveLength(BUDGET)
    expectLimited(edits.find((r) => !r.ok)!)
  })
})
