// Every event a client hears, across nodes: the actor acts on node 0, the
// people concerned listen with real sockets on nodes 1 and 2, and hear it as
// they would on a single server (the Socket.IO Redis adapter carries it).
// Room changes cross nodes too: a member added on node 0 hears the next
// message on node 2 at once, a member removed there hears no more; and
// sign-outs close sockets wherever they are.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers } from '../helpers/child-server'
import { startCluster, type Cluster } from '../helpers/cluster'
import { collectWhere, record } from '../helpers/events'
import { api, type ApiResponse } from '../helpers/http'
import { killPrivateRedis } from '../helpers/redis'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { acked, nodeUser, send, type NodeUser } from './senders'

let cluster: Cluster
let admin: NodeUser
let alice: NodeUser
let bob: NodeUser
let carol: NodeUser
let dave: NodeUser
const pool = new SocketPool()

/** A socket of `user` on node `i`. */
const on = (i: number, user: NodeUser): Promise<ClientSocket> => pool.connect(cluster.node(i).url, user.tokens[i]!)

/** A REST call as `user` on node `i`. */
const rest = (i: number, user: NodeUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(cluster.node(i).url, method, path, { token: user.tokens[i]!, ...(body === undefined ? {} : { body }) })

async function ok(res: Promise<ApiResponse>, status = 200): Promise<ApiResponse> {
  const done = await res
  expect(done.status, JSON.stringify(done.body)).toBe(status)
  return done
}

async function group(title: string, owner: NodeUser, members: NodeUser[]): Promise<string> {
  const res = await ok(rest(0, owner, 'POST', '/conversations', { kind: 'group', title, memberIds: members.map((m) => m.user.user.id) }), 201)
  return res.body.conversation.id as string
}

async function direct(a: NodeUser, b: NodeUser): Promise<string> {
  const res = await rest(0, a, 'POST', '/conversations', { kind: 'direct', userId: b.user.user.id })
  expect([200, 201]).toContain(res.status)
  return res.body.conversation.id as string
}

const say = async (socket: ClientSocket, conversationId: string, text: string): Promise<Message> =>
  acked(await send(socket, { conversationId, clientId: randomUUID(), text }), text)

/** The next message:new of a conversation on a socket. */
const heard = async (socket: ClientSocket, conversationId: string, text?: string): Promise<Message> =>
  (await collectWhere(socket, 'message:new', 1, (p) => p.message.conversationId === conversationId && (text === undefined || p.message.text === text)))[0]!
    .message

/** Resolves when the server closes the socket on purpose. */
function closedByServer(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)))
}

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 })
  // The first account is the server admin.
  admin = await nodeUser(cluster)
  ;[alice, bob, carol, dave] = (await Promise.all([1, 2, 3, 4].map(() => nodeUser(cluster)))) as [NodeUser, NodeUser, NodeUser, NodeUser]
})
afterEach(() => pool.closeAll())
afterAll(async () => {
  pool.closeAll()
  await cluster?.destroy()
  killChildServers()
  killPrivateRedis()
})

describe('messages across nodes', () => {
  it('a new group, its messages, edits, deletions, reactions, receipts and typing reach members on the other nodes', async () => {
    const [bob1, carol2] = await Promise.all([on(1, bob), on(2, carol)])
    const alice0 = await on(0, alice)
    const created = Promise.all([bob1, carol2].map((s) => collect(s, 'conversation:new', 1)))
    const id = await group('Across nodes', alice, [bob, carol])
    for (const [got] of await created) expect(got!.conversation.id).toBe(id)

    const news = Promise.all([heard(bob1, id, 'hello nodes'), heard(carol2, id, 'hello nodes')])
    const sent = await say(alice0, id, 'hello nodes')
    for (const got of await news) expect(got).toEqual(sent)

    const updates = Promise.all([bob1, carol2].map((s) => collectWhere(s, 'message:updated', 3, (p) => p.message.conversationId === id)))
    const edit = await emitAck<{ message: Message }>(alice0, 'message:edit', { conversationId: id, seq: sent.seq, text: 'hello, nodes' })
    const react = await emitAck<{ message: Message }>(alice0, 'message:react', { conversationId: id, seq: sent.seq, emoji: '👍' })
    const remove = await emitAck<{ message: Message }>(alice0, 'message:delete', { conversationId: id, seq: sent.seq })
    expect([edit.ok, react.ok, remove.ok]).toEqual([true, true, true])
    for (const got of await updates) {
      expect(got[0]!.message.text).toBe('hello, nodes')
      expect(got[1]!.message.reactions).toEqual({ '👍': [alice.user.user.id] })
      expect(got[2]!.message.deletedAt).toBeDefined()
    }

    // Bob's read, told from node 1, is heard on nodes 0 and 2.
    const receipts = Promise.all(
      [alice0, carol2].map((s) => collectWhere(s, 'receipt:update', 1, (p) => p.conversationId === id && p.userId === bob.user.user.id))
    )
    expect((await emitAck(bob1, 'receipt:read', { conversationId: id, seq: sent.seq })).ok).toBe(true)
    for (const [got] of await receipts) expect(got!.readSeq).toBe(sent.seq)

    const typing = Promise.all([bob1, carol2].map((s) => collectWhere(s, 'typing:update', 2, (p) => p.conversationId === id)))
    expect((await emitAck(alice0, 'typing:start', { conversationId: id })).ok).toBe(true)
    expect((await emitAck(alice0, 'typing:stop', { conversationId: id })).ok).toBe(true)
    for (const got of await typing) {
      expect(got.map((t) => [t.userId, t.typing])).toEqual([
        [alice.user.user.id, true],
        [alice.user.user.id, false]
      ])
    }
  })

  it('a group renamed on node 0 is updated on nodes 1 and 2; its deletion removes it there', async () => {
    const id = await group('Old name', alice, [bob, carol])
    const [bob1, carol2] = await Promise.all([on(1, bob), on(2, carol)])
    const updated = Promise.all([bob1, carol2].map((s) => collectWhere(s, 'conversation:updated', 1, (p) => p.conversation.id === id)))
    await ok(rest(0, alice, 'PATCH', `/conversations/${id}`, { title: 'New name' }))
    for (const [got] of await updated) expect(got!.conversation.title).toBe('New name')

    const removed = Promise.all([bob1, carol2].map((s) => collectWhere(s, 'conversation:removed', 1, (p) => p.conversationId === id)))
    await ok(rest(0, alice, 'DELETE', `/conversations/${id}`), 204)
    for (const [got] of await removed) expect(got!.reason).toBe('deleted')
  })

  it('a member added on node 0 is in the room on node 2 at once; one removed there hears no more', async () => {
    const id = await group('Growing', alice, [bob])
    const [alice0, dave2, carol2] = await Promise.all([on(0, alice), on(2, dave), on(2, carol)])
    const welcomed = collectWhere(dave2, 'conversation:new', 1, (p) => p.conversation.id === id)
    await ok(rest(0, alice, 'POST', `/conversations/${id}/members`, { userIds: [dave.user.user.id, carol.user.user.id] }))
    expect((await welcomed)[0]!.conversation.members.map((m) => m.user.id)).toContain(dave.user.user.id)
    const next = heard(dave2, id, 'welcome, dave')
    const sent = await say(alice0, id, 'welcome, dave')
    expect((await next).id).toBe(sent.id)

    // Removed on node 0: told on node 2, and from then on hears nothing of the group.
    const gone = collectWhere(dave2, 'conversation:removed', 1, (p) => p.conversationId === id)
    await ok(rest(0, alice, 'DELETE', `/conversations/${id}/members/${dave.user.user.id}`), 204)
    expect((await gone)[0]!.reason).toBe('removed')
    const daveHeard = record(dave2, 'message:new')
    const carolHears = heard(carol2, id, 'after dave left')
    await say(alice0, id, 'after dave left')
    await carolHears
    // Everything node 0 publishes reaches node 2 in order: a later message to dave marks that the group's has passed.
    const chat = await direct(alice, dave)
    const marker = heard(dave2, chat, 'marker')
    await say(alice0, chat, 'marker')
    await marker
    expect(daveHeard.map((p) => p.message.conversationId)).toEqual([chat])
  })

  it('history cleared on node 0 is cleared on every device of the user, on nodes 1 and 2', async () => {
    const id = await direct(alice, bob)
    const alice0 = await on(0, alice)
    await say(alice0, id, 'soon cleared')
    const [bob1, bob2] = await Promise.all([on(1, bob), on(2, bob)])
    const cleared = Promise.all([bob1, bob2].map((s) => collectWhere(s, 'conversation:cleared', 1, (p) => p.conversationId === id)))
    const res = await ok(rest(0, bob, 'POST', `/conversations/${id}/clear`, {}))
    for (const [got] of await cleared) expect(got!.clearedSeq).toBe(res.body.clearedSeq)
  })

  it('retention that expires history on node 0 tells members on nodes 1 and 2', async () => {
    const id = await group('Retention', admin, [bob, carol])
    const admin0 = await on(0, admin)
    await say(admin0, id, 'old news')
    await say(admin0, id, 'older news')
    // Made old in the database, as days passing would.
    const db = new pg.Client({ connectionString: cluster.database.url })
    await db.connect()
    try {
      await db.query(`UPDATE messages SET created_at = now() - interval '30 days' WHERE conversation_id = $1`, [id])
    } finally {
      await db.end()
    }
    const [bob1, carol2] = await Promise.all([on(1, bob), on(2, carol)])
    const expired = Promise.all([bob1, carol2].map((s) => collectWhere(s, 'conversation:expired', 1, (p) => p.conversationId === id)))
    try {
      await ok(rest(0, admin, 'PATCH', '/admin/settings', { retentionDays: 5 }))
      for (const [got] of await expired) expect(got!.expiredSeq).toBeGreaterThanOrEqual(2)
    } finally {
      await ok(rest(0, admin, 'PATCH', '/admin/settings', { retentionDays: null }))
    }
  })
})

describe('people across nodes', () => {
  it('invitations, contacts made and ended reach both people on nodes 1 and 2', async () => {
    const [alice1, alice2, dave1, dave2] = await Promise.all([on(1, alice), on(2, alice), on(1, dave), on(2, dave)])
    const invited = Promise.all([alice1, alice2, dave1, dave2].map((s) => collect(s, 'invitation:new', 1)))
    const invitation = (await ok(rest(0, alice, 'POST', '/invitations', { userId: dave.user.user.id }), 201)).body.invitation as { id: string }
    for (const [got] of await invited) expect(got!.invitation.id).toBe(invitation.id)

    const answered = Promise.all([alice1, alice2, dave1, dave2].map((s) => collect(s, 'invitation:updated', 1)))
    const madeAlice = Promise.all([alice1, alice2].map((s) => collect(s, 'contact:added', 1)))
    const madeDave = Promise.all([dave1, dave2].map((s) => collect(s, 'contact:added', 1)))
    await ok(rest(0, dave, 'POST', `/invitations/${invitation.id}/accept`, {}))
    for (const [got] of await answered) expect(got!.invitation).toMatchObject({ id: invitation.id, status: 'accepted' })
    for (const [got] of await madeAlice) expect(got!.user.id).toBe(dave.user.user.id)
    for (const [got] of await madeDave) expect(got!.user.id).toBe(alice.user.user.id)

    const ended = Promise.all([dave1, dave2].map((s) => collect(s, 'contact:removed', 1)))
    await ok(rest(0, alice, 'DELETE', `/contacts/${dave.user.user.id}`), 204)
    for (const [got] of await ended) expect(got!.userId).toBe(alice.user.user.id)
  })

  it('a profile edited on node 0 reaches the user on nodes 1 and 2', async () => {
    const [bob1, bob2] = await Promise.all([on(1, bob), on(2, bob)])
    const told = Promise.all([bob1, bob2].map((s) => collect(s, 'account:updated', 1)))
    await ok(rest(0, bob, 'PATCH', '/me', { statusText: 'on every node' }))
    for (const [got] of await told) expect(got!.user.statusText).toBe('on every node')
  })

  it('someone coming online on node 0 is seen online by contacts on nodes 1 and 2', async () => {
    await direct(carol, alice)
    await direct(carol, bob)
    const [alice1, bob2] = await Promise.all([on(1, alice), on(2, bob)])
    const seen = Promise.all(
      [alice1, bob2].map((s) => collectWhere(s, 'presence:update', 1, (p) => p.userId === carol.user.user.id && p.status === 'online'))
    )
    await on(0, carol)
    for (const [got] of await seen) expect(got!.status).toBe('online')
  })
})

describe('sign-outs across nodes', () => {
  it("a session signed out on node 0 loses its sockets on nodes 1 and 2; the user's other sessions stay", async () => {
    const login = await ok(api(cluster.node(0).url, 'POST', '/auth/login', { body: { username: bob.user.user.username, password: bob.user.password } }))
    const token = login.body.accessToken as string
    const [s1, s2] = await Promise.all([pool.connect(cluster.node(1).url, token), pool.connect(cluster.node(2).url, token)])
    const other = await on(2, bob)
    const closed = Promise.all([closedByServer(s1), closedByServer(s2)])
    await ok(api(cluster.node(0).url, 'POST', '/auth/logout', { body: { refreshToken: login.body.refreshToken } }), 204)
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect'])
    expect((await emitAck(other, 'conversation:list', {})).ok).toBe(true)
  })

  it("an account disabled on node 0 loses every socket, on nodes 1 and 2", async () => {
    const erin = await nodeUser(cluster)
    const [e1, e2] = await Promise.all([on(1, erin), on(2, erin)])
    const closed = Promise.all([closedByServer(e1), closedByServer(e2)])
    await ok(rest(0, admin, 'PATCH', `/admin/users/${erin.user.user.id}`, { disabled: true }))
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect'])
  })
})
