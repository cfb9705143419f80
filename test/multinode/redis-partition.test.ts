// One node loses Redis while the other keeps it (a network fault between that
// node and Redis, not Redis gone). What the cut-off node published meanwhile
// was lost for the other node, which itself noticed nothing. When the link is
// back, the cut-off node tells the other one, which sets its sockets' rooms
// again from the database (a member added meanwhile hears the group from then
// on, one removed hears no more, a session signed out meanwhile is closed)
// and has its clients catch up: a receiver there learns of a message it missed
// with no further message sent.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { pageAll, signUp, startClient, startProxy, type TcpProxy, type TestClient } from '../helpers/client'
import { freshDatabase } from '../helpers/engines'
import { collectWhere, record } from '../helpers/events'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { killPrivateRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis'
import { startServer, type TestServer } from '../helpers/server'
import { collect, SocketPool, type ClientSocket } from '../helpers/socket'
import { acked, send } from './senders'

const LEARN_LIMIT_MS = 30_000

let redis: PrivateRedis
/** Between node B and Redis: the test cuts it. */
let cable: TcpProxy
let nodeA: TestServer
let nodeB: TestServer
const pool = new SocketPool()

/** A user registered on A, with an access token from each node. */
interface TwoNodeUser {
  user: TestUser
  a: string
  b: string
}

async function twoNodeUser(): Promise<TwoNodeUser> {
  const user = await register(nodeA.url)
  const login = await api(nodeB.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
  expect(login.status).toBe(200)
  return { user, a: user.accessToken, b: login.body.accessToken as string }
}

const onB = (u: TwoNodeUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(nodeB.url, method, path, { token: u.b, ...(body === undefined ? {} : { body }) })

beforeAll(async () => {
  const db = await freshDatabase('redis partition')
  redis = await startPrivateRedis()
  cable = await startProxy(`http://127.0.0.1:${redis.port}`)
  nodeA = await startServer({ databaseUrl: db.url, redisUrl: redis.url })
  nodeB = await startServer({ databaseUrl: db.url, redisUrl: `redis://127.0.0.1:${new URL(cable.url).port}`, redisStaleIntervalMs: 500 })
})
afterAll(async () => {
  pool.closeAll()
  await nodeB?.destroy()
  await nodeA?.destroy()
  await cable?.close()
  await redis?.destroy()
  killPrivateRedis()
})

describe('a node cut off from Redis', () => {
  let receiver: TestClient

  afterAll(() => receiver?.destroy())

  it('when it is back, the other node re-admits its sockets to their rooms and has its clients catch up', async () => {
    const [owner, dave, carol, erin] = await Promise.all([twoNodeUser(), twoNodeUser(), twoNodeUser(), twoNodeUser()])
    receiver = await startClient()
    const { me } = await signUp(receiver, nodeA.url)
    const created = await onB(owner, 'POST', '/conversations', { kind: 'group', title: 'Partitioned', memberIds: [me.id, carol.user.user.id] })
    expect(created.status).toBe(201)
    const id = created.body.conversation.id as string
    await receiver.waitFor('conversations', (c) => c.upserted.some((x) => x.id === id))

    const ownerB: ClientSocket = await pool.connect(nodeB.url, owner.b)
    const [daveA, carolA, erinA] = await Promise.all([pool.connect(nodeA.url, dave.a), pool.connect(nodeA.url, carol.a), pool.connect(nodeA.url, erin.a)])
    const erinLogin = await api(nodeB.url, 'POST', '/auth/login', { body: { username: erin.user.user.username, password: erin.user.password } })
    // Erin's socket on A uses this session, signed out on B while B is cut off.
    const erinSession: ClientSocket = await pool.connect(nodeA.url, erinLogin.body.accessToken as string)
    const warmUp = acked(await send(ownerB, { conversationId: id, clientId: randomUUID(), text: 'before the cut' }), 'warm-up')
    await waitHeld(receiver, id, [warmUp])

    // Cut: B says so to its own clients, and goes on with PostgreSQL alone.
    const told = collect(ownerB, 'sync:stale', 1)
    cable.block()
    expect((await told)[0]).toEqual({ reason: 'redis' })
    const missed = acked(await send(ownerB, { conversationId: id, clientId: randomUUID(), text: 'while B is cut off' }), 'missed')
    expect((await onB(owner, 'POST', `/conversations/${id}/members`, { userIds: [dave.user.user.id] })).status).toBe(200)
    expect((await onB(owner, 'DELETE', `/conversations/${id}/members/${carol.user.user.id}`)).status).toBe(204)
    expect((await api(nodeB.url, 'POST', '/auth/logout', { body: { refreshToken: erinLogin.body.refreshToken } })).status).toBe(204)

    // Back: the receiver on A learns of the missed message with nothing more sent,
    // and erin's signed-out session on A is closed.
    const closed = new Promise((resolve) => erinSession.once('disconnect', resolve))
    const staleOnA = collect(daveA, 'sync:stale', 1, LEARN_LIMIT_MS)
    cable.restore()
    await staleOnA
    await waitHeld(receiver, id, [missed])
    expect(await closed).toBe('io server disconnect')

    // Dave, added on B meanwhile, hears the group on A now; carol, removed, does not.
    const carolHeard = record(carolA, 'message:new')
    const daveHears = collectWhere(daveA, 'message:new', 1, (p) => p.message.conversationId === id)
    const next = acked(await send(ownerB, { conversationId: id, clientId: randomUUID(), text: 'after the cut' }), 'next')
    expect((await daveHears)[0]!.message.id).toBe(next.id)
    // A later message to carol, published by B after the group's, marks that the group's has passed her node.
    const chat = await onB(owner, 'POST', '/conversations', { kind: 'direct', userId: carol.user.user.id })
    const marker = collectWhere(carolA, 'message:new', 1, (p) => p.message.conversationId === chat.body.conversation.id)
    acked(await send(ownerB, { conversationId: chat.body.conversation.id as string, clientId: randomUUID(), text: 'marker' }), 'marker')
    await marker
    expect(carolHeard.map((p) => p.message.text)).toEqual(['marker'])
    expect(erinA.connected).toBe(true)
  })

  it('while it stays cut off, the other node hears of it through PostgreSQL and has its clients catch up', async () => {
    const owner = await twoNodeUser()
    const listener = await startClient()
    try {
      const { me } = await signUp(listener, nodeA.url)
      const chat = await onB(owner, 'POST', '/conversations', { kind: 'direct', userId: me.id })
      const id = chat.body.conversation.id as string
      const ownerB: ClientSocket = await pool.connect(nodeB.url, owner.b)
      await waitHeld(listener, id, [acked(await send(ownerB, { conversationId: id, clientId: randomUUID(), text: 'before' }), 'before')])

      cable.block()
      await collect(ownerB, 'sync:stale', 1)
      const missed = acked(await send(ownerB, { conversationId: id, clientId: randomUUID(), text: 'said while cut off' }), 'missed')
      // Node A's own link to Redis is fine: only B's notice through PostgreSQL tells it.
      await waitHeld(listener, id, [missed])
    } finally {
      cable.restore()
      await listener.destroy()
    }
  })
})

async function waitHeld(client: TestClient, conversationId: string, messages: Message[]): Promise<void> {
  const wanted = new Set(messages.map((m) => m.id))
  const deadline = Date.now() + LEARN_LIMIT_MS
  for (;;) {
    const cached = await pageAll(client, conversationId)
    if (cached.filter((m) => wanted.has(m.id)).length === wanted.size) return
    if (Date.now() > deadline) throw new Error(`the client does not hold ${wanted.size} messages after ${LEARN_LIMIT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
