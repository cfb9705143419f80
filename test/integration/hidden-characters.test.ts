// Names that impersonate or vanish, and messages of nothing visible: every way
// in (REST and the socket) answers 400 validation_failed saying what is wrong,
// and nothing is stored.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api, register, uniqueName, type TestUser } from '../helpers/http'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

const HIDDEN = 'must not contain invisible or direction-changing characters'
const EXAMPLES = ['The\u200b Boss', '\u202essoB ehT', '\u200b\u200b']

let srv: TestServer
let alice: TestUser
let bob: TestUser
let group = ''
const sockets: ClientSocket[] = []

beforeAll(async () => {
  srv = await startServer()
  // The first account runs the server: alice may change its settings.
  alice = await register(srv.url)
  bob = await register(srv.url)
  const created = await api(srv.url, 'POST', '/conversations', {
    token: alice.accessToken,
    body: { kind: 'group', title: 'Plans', memberIds: [bob.user.id] }
  })
  group = created.body.conversation.id
})
afterEach(() => {
  for (const s of sockets.splice(0)) s.close()
})
afterAll(() => srv.destroy())

const as = (user: TestUser) => ({ token: user.accessToken })

function expectRefused(res: { status: number; body: any }, field: string, problem = HIDDEN): void {
  expect(res.status).toBe(400)
  expect(res.body.error.code).toBe('validation_failed')
  expect(res.body.error.message).toContain(`${field}: ${problem}`)
}

async function messagesIn(conversationId: string, user = alice): Promise<{ seq: number; text: string }[]> {
  return (await api(srv.url, 'GET', `/conversations/${conversationId}/messages`, as(user))).body.messages
}

describe('display names', () => {
  it.each(EXAMPLES)('registering as %j is refused and makes no account', async (displayName) => {
    const username = uniqueName('hid')
    expectRefused(await api(srv.url, 'POST', '/auth/register', { body: { username, password: 'correct horse battery', displayName } }), 'body.displayName')
    expect((await api(srv.url, 'POST', '/auth/login', { body: { username, password: 'correct horse battery' } })).status).toBe(401)
  })

  it('a no-break space is folded to a plain one (NFKC), on register and on change', async () => {
    const username = uniqueName('nbsp')
    const res = await api(srv.url, 'POST', '/auth/register', { body: { username, password: 'correct horse battery', displayName: 'The\u00a0Boss' } })
    expect(res.status).toBe(201)
    expect(res.body.user.displayName).toBe('The Boss')
    const changed = await api(srv.url, 'PATCH', '/me', { token: res.body.accessToken, body: { displayName: 'Ｔｈｅ\u2003Boss' } })
    expect(changed.body.user.displayName).toBe('The Boss')
  })

  it('a profile change to a hiding name or status is refused and changes nothing', async () => {
    const before = (await api(srv.url, 'GET', '/me', as(bob))).body.user
    for (const displayName of EXAMPLES) expectRefused(await api(srv.url, 'PATCH', '/me', { ...as(bob), body: { displayName } }), 'body.displayName')
    expectRefused(await api(srv.url, 'PATCH', '/me', { ...as(bob), body: { statusText: 'away\u2066' } }), 'body.statusText')
    expectRefused(await api(srv.url, 'PATCH', '/me', { ...as(bob), body: { displayName: '\u00a0 ' } }), 'body.displayName', 'must not be blank')
    expect((await api(srv.url, 'GET', '/me', as(bob))).body.user).toEqual(before)
  })

  it('names in scripts that need joiners, and emoji sequences, are kept as typed', async () => {
    for (const displayName of ['می‌خواهم', 'क्‌ष', 'Ana 👩‍👩‍👧', 'שלום', 'محمد']) {
      const res = await api(srv.url, 'PATCH', '/me', { ...as(bob), body: { displayName } })
      expect(res.status).toBe(200)
      expect(res.body.user.displayName).toBe(displayName)
    }
  })
})

describe('titles and other names', () => {
  it('a group cannot be made or renamed with a hiding title', async () => {
    const count = async () => (await api(srv.url, 'GET', '/conversations', as(alice))).body.conversations.length
    const before = await count()
    for (const title of EXAMPLES) {
      expectRefused(await api(srv.url, 'POST', '/conversations', { ...as(alice), body: { kind: 'group', title, memberIds: [] } }), 'body.title')
      expectRefused(await api(srv.url, 'PATCH', `/conversations/${group}`, { ...as(alice), body: { title } }), 'body.title')
    }
    expect(await count()).toBe(before)
    expect((await api(srv.url, 'GET', `/conversations/${group}`, as(alice))).body.conversation.title).toBe('Plans')
  })

  it('a room or the server cannot be named with them either', async () => {
    expectRefused(await api(srv.url, 'POST', '/rooms', { ...as(alice), body: { name: '\u202emoor' } }), 'body.name')
    expect((await api(srv.url, 'GET', '/rooms?q=moor', as(alice))).body.rooms).toEqual([])
    const before = (await api(srv.url, 'GET', '/admin/settings', as(alice))).body.settings.name
    expectRefused(await api(srv.url, 'PATCH', '/admin/settings', { ...as(alice), body: { name: 'Office\u200b' } }), 'body.name')
    expect((await api(srv.url, 'GET', '/admin/settings', as(alice))).body.settings.name).toBe(before)
  })

  it('a file whose name holds a direction override is refused', async () => {
    const res = await api(srv.url, 'POST', '/files', { ...as(alice), body: { conversationId: group, name: 'invoice\u202efdp.exe', size: 10 } })
    expectRefused(res, 'body.name')
  })
})

describe('messages of only invisible characters', () => {
  it('are refused over REST, as whitespace is, when sent or edited to', async () => {
    const sent = await api(srv.url, 'POST', `/conversations/${group}/messages`, { ...as(alice), body: { clientId: randomUUID(), text: 'hello' } })
    expect(sent.status).toBe(201)
    const before = await messagesIn(group)
    expectRefused(await api(srv.url, 'POST', `/conversations/${group}/messages`, { ...as(alice), body: { clientId: randomUUID(), text: '\u200b' } }), 'body.text', 'must not be empty')
    expectRefused(await api(srv.url, 'POST', `/conversations/${group}/messages`, { ...as(alice), body: { clientId: randomUUID(), text: ' \u2060\u200b ' } }), 'body.text', 'must not be empty')
    expectRefused(await api(srv.url, 'PATCH', `/conversations/${group}/messages/${sent.body.message.seq}`, { ...as(alice), body: { text: '\u200b' } }), 'body.text', 'must not be empty')
    expect(await messagesIn(group)).toEqual(before)
  })

  it('are refused over the socket, when sent or edited to', async () => {
    const socket = await connect(srv.url, bob.accessToken)
    sockets.push(socket)
    const sent = await emitAck<{ message: { seq: number } }>(socket, 'message:send', { conversationId: group, clientId: randomUUID(), text: 'hi' })
    if (!sent.ok) throw new Error(sent.error.message)
    const before = await messagesIn(group, bob)
    const empty = await emitAck(socket, 'message:send', { conversationId: group, clientId: randomUUID(), text: '\u200b' })
    expect(empty).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('payload.text: must not be empty') } })
    const edit = await emitAck(socket, 'message:edit', { conversationId: group, seq: sent.data.message.seq, text: '\u200b\u200b' })
    expect(edit).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('payload.text: must not be empty') } })
    expect(await messagesIn(group, bob)).toEqual(before)
  })
})
