// The client core's sign-in: register, login, logout, the kept sign-in at
// start (offline too), access-token refresh across expiry, and a sign-in the
// server ended (revoked) — all as the renderer sees them through IPC.
import { stat } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import {
  closedPort,
  directChat,
  PASSWORD,
  readSecrets,
  refreshProbe,
  signUp,
  startClient,
  startProxy,
  waitSynced,
  type TestClient
} from '../helpers/client'
import { uniqueName } from '../helpers/http'

let srv: TestServer
/** Access tokens live 2 s; a rotated refresh token presented again is theft at once. */
let shortLived: TestServer
const clients: TestClient[] = []

async function client(...args: Parameters<typeof startClient>): Promise<TestClient> {
  const c = await startClient(...args)
  clients.push(c)
  return c
}

beforeAll(async () => {
  ;[srv, shortLived] = await Promise.all([startServer(), startServer({ accessTokenTtlSeconds: 2, refreshReuseGraceMs: 0 })])
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await Promise.all([srv.destroy(), shortLived.destroy()])
})

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false
  )

/** Until the server's clock has passed the token's expiry (the one wait on a server-side timer here). */
async function untilExpired(expiryMs: number): Promise<void> {
  const wait = expiryMs - Date.now() + 50
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}

describe('signing in and out', () => {
  it('register and login answer signed_in with the profile; wrong passwords and unreachable servers are told apart', async () => {
    const username = uniqueName('reg')
    const first = await client()
    expect(await first.call('session.get')).toEqual({ status: 'signed_out', reason: 'start', accounts: [] })

    const registered = await first.call('session.register', { serverUrl: srv.url, username, password: PASSWORD, displayName: 'Reggie' })
    expect(registered).toMatchObject({
      status: 'signed_in',
      me: { username, displayName: 'Reggie', contactsOnlyDirect: false },
      account: { serverUrl: srv.url, username, displayName: 'Reggie' }
    })
    if (registered.status !== 'signed_in') return
    expect(registered.accounts.map((a) => a.id)).toEqual([registered.account.id])
    expect(await first.waitFor('session', (s) => s.status === 'signed_in')).toMatchObject({ me: { id: registered.me.id } })
    await waitSynced(first)

    // The same account on another device: login, and the server address as a person types it.
    const second = await client()
    const loggedIn = await second.call('session.login', { serverUrl: srv.url.replace('http://', '') + '/', username: username.toUpperCase(), password: PASSWORD })
    expect(loggedIn).toMatchObject({ status: 'signed_in', me: { id: registered.me.id, username }, account: { id: registered.account.id, serverUrl: srv.url } })

    const third = await client()
    const wrong = await third.callError('session.login', { serverUrl: srv.url, username, password: 'not the password' })
    expect(wrong.code).toBe('invalid_credentials')
    expect((await third.callError('session.login', { serverUrl: srv.url, username: uniqueName('ghost'), password: PASSWORD })).code).toBe(
      'invalid_credentials'
    )
    const nowhere = await third.callError('session.login', { serverUrl: `http://127.0.0.1:${await closedPort()}`, username, password: PASSWORD })
    expect(nowhere.code).toBe('unreachable')
    expect(await third.call('session.get')).toMatchObject({ status: 'signed_out', accounts: [] })
    expect(await third.call('connection.get')).toEqual({ status: 'signed_out', queued: 0, syncing: false, error: null })
  })

  it('logout signs out on the server and deletes the account’s data and kept sign-in from this computer', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    await a.call('messages.send', { conversationId, text: 'something to cache' })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'something to cache'))
    const state = await b.call('session.get')
    if (state.status !== 'signed_in') throw new Error('b is not signed in')
    const dataDir = b.core.registry.dataDir(state.account.id)
    await b.core.ctx().cache.flush()
    expect(await exists(dataDir)).toBe(true)
    const refreshToken = (await readSecrets(b.userDataDir))[`refresh:${state.account.id}`]
    expect(refreshToken).toBeTruthy()

    const since = b.mark()
    expect(await b.call('session.logout')).toEqual({ status: 'signed_out', reason: 'logout', accounts: [] })
    expect(await b.waitFor('session', (s) => s.status === 'signed_out', 5_000, since)).toMatchObject({ reason: 'logout' })
    expect(await b.waitFor('connection', (c) => c.status === 'signed_out', 5_000, since)).toMatchObject({ queued: 0 })
    expect(await exists(dataDir)).toBe(false)
    expect(Object.values(await readSecrets(b.userDataDir))).not.toContain(refreshToken)
    expect((await b.callError('conversations.list')).code).toBe('unauthorized')

    // The server ended that sign-in too: its refresh token is dead.
    const reuse = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken }, checkContract: false })
    expect(reuse.status).toBe(401)
    expect(reuse.body.error.code).toBe('session_revoked')

    // The next launch starts signed out, with nothing remembered.
    await b.close()
    const relaunched = await client(b.userDataDir)
    expect(await relaunched.call('session.get')).toEqual({ status: 'signed_out', reason: 'start', accounts: [] })
  })

  it('a restart shows the signed-in account and its cached chats at once, even with the server down', async () => {
    const own = await startServer()
    try {
      const { a, b, aMe, conversationId } = await directChat(own.url)
      clients.push(a, b)
      await b.call('messages.send', { conversationId, text: 'kept for later' })
      await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'kept for later'))
      await a.close()
      await own.stop()

      const again = await client(a.userDataDir)
      // startClient has run core.start(): signed in from the cache, no server needed.
      const state = await again.call('session.get')
      expect(state).toMatchObject({ status: 'signed_in', me: { id: aMe.id, username: aMe.username } })
      const list = await again.call('conversations.list')
      expect(list.map((c) => c.id)).toEqual([conversationId])
      expect(list[0]).toMatchObject({ lastMessage: { text: 'kept for later' }, unreadCount: 1 })
      const page = await again.call('messages.page', { conversationId })
      expect(page.messages.map((m) => m.text)).toEqual(['kept for later'])
      expect((await again.call('connection.get')).status).not.toBe('online')
      // The renderer hears of the cached chats without asking, too.
      await again.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))
      // What needs the server says so instead of hanging.
      expect((await again.callError('users.search', { query: 'x' })).code).toBe('unreachable')
    } finally {
      await own.destroy()
    }
  })
})

describe('tokens', () => {
  it('REST calls and the socket keep working after the access token expires; concurrent calls share one refresh', async () => {
    const proxy = await startProxy(shortLived.url)
    try {
      const probe = refreshProbe()
      const a = await client(undefined, { fetch: probe.fetch })
      const b = await client()
      const { me: aMe } = await signUp(a, proxy.url)
      const { me: bMe } = await signUp(b, shortLived.url)
      const opened = await b.call('conversations.openDirect', { userId: aMe.id })
      if (!('conversation' in opened)) throw new Error('expected a conversation')
      const conversationId = opened.conversation.id
      await a.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))

      // Refreshes fail for a while (the early one included), until the access token has expired.
      probe.block()
      await probe.nextBlocked()
      await untilExpired(probe.lastAccessExpiry)
      const stale = await api(shortLived.url, 'GET', '/me', { token: probe.lastAccessToken!, checkContract: false })
      expect(stale.body.error.code).toBe('token_expired')
      probe.unblock()

      const start = probe.requests.length
      const [found, contacts, invitations, found2] = await Promise.all([
        a.call('users.search', { query: bMe.username }),
        a.call('contacts.list'),
        a.call('invitations.list'),
        a.call('users.search', { query: aMe.username })
      ])
      expect(found.map((u) => u.id)).toEqual([bMe.id])
      expect(found2.map((u) => u.id)).toEqual([aMe.id])
      expect(contacts).toEqual([])
      expect(invitations).toEqual({ incoming: [], outgoing: [] })
      const burst = probe.requests.slice(start)
      const firstCall = burst.findIndex((r) => !r.endsWith('/auth/refresh'))
      // Exactly one refresh went out before the four calls did.
      expect(burst.slice(0, firstCall)).toEqual(['POST /api/v1/auth/refresh'])
      expect(burst.filter((r) => r.startsWith('GET ')).length).toBe(4)

      // The connection drops while no token can be had: the handshake is refused, then it comes back.
      probe.block()
      await probe.nextBlocked()
      await untilExpired(probe.lastAccessExpiry)
      let since = a.mark()
      proxy.cut()
      const refused = await a.waitFor('connection', (c) => c.status === 'offline' && c.error !== null, 10_000, since)
      expect(refused.error?.code).toBe('unauthorized')
      await b.call('messages.send', { conversationId, text: 'while you were away' })
      await b.waitFor('outbox', (o) => o.removed.length > 0)
      since = a.mark()
      probe.unblock()
      await waitSynced(a, since)
      const page = await a.call('messages.page', { conversationId })
      expect(page.messages.map((m) => m.text)).toEqual(['while you were away'])

      // Live again on the new connection.
      await b.call('messages.send', { conversationId, text: 'and now live' })
      await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'and now live'), 10_000, since)
      expect(await a.call('session.get')).toMatchObject({ status: 'signed_in' })
    } finally {
      await proxy.close()
    }
  })

  it('a 401 for an expired access token refreshes once and retries the call', async () => {
    const probe = refreshProbe()
    const a = await client(undefined, { fetch: probe.fetch })
    const { me } = await signUp(a, srv.url)
    const before = probe.refreshes
    // As if the clocks disagreed: the server calls the token expired before the client expects it.
    probe.fail401Once('/users', 'token_expired')
    const start = probe.requests.length
    expect((await a.call('users.search', { query: me.username })).map((u) => u.id)).toEqual([me.id])
    expect(probe.requests.slice(start)).toEqual(['GET /api/v1/users', 'POST /api/v1/auth/refresh', 'GET /api/v1/users'])
    expect(probe.refreshes).toBe(before + 1)
    // The fresh token is used from then on.
    const next = probe.requests.length
    await a.call('contacts.list')
    expect(probe.requests.slice(next)).toEqual(['GET /api/v1/contacts'])
    expect(await a.call('session.get')).toMatchObject({ status: 'signed_in' })
  })

  it('a refresh token replayed by someone else revokes the sign-in: the core signs out with reason revoked', async () => {
    const probe = refreshProbe()
    const a = await client(undefined, { fetch: probe.fetch })
    const { account } = await signUp(a, shortLived.url)
    const key = `refresh:${account.id}`
    const stolen = (await readSecrets(a.userDataDir))[key]
    expect(stolen).toBeTruthy()
    // The client rotates its refresh token ahead of expiry; the stolen copy is now an old one.
    while ((await readSecrets(a.userDataDir))[key] === stolen) await probe.nextRefresh()

    const replay = await api(shortLived.url, 'POST', '/auth/refresh', { body: { refreshToken: stolen }, checkContract: false })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('session_revoked')

    const signedOut = await a.waitFor('session', (s) => s.status === 'signed_out')
    expect(signedOut).toMatchObject({ reason: 'revoked', accounts: [{ id: account.id }] })
    await a.waitFor('connection', (c) => c.status === 'signed_out')
    expect(await a.call('session.get')).toMatchObject({ status: 'signed_out', reason: 'revoked' })
    expect((await readSecrets(a.userDataDir))[key]).toBeUndefined()
    expect((await a.callError('users.search', { query: 'x' })).code).toBe('unauthorized')
  })

  it('signing out on another device with the same sign-in disconnects this one and signs it out', async () => {
    const a = await client()
    const { account } = await signUp(a, srv.url)
    const refreshToken = (await readSecrets(a.userDataDir))[`refresh:${account.id}`]
    const logout = await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken } })
    expect(logout.status).toBe(204)
    expect(await a.waitFor('session', (s) => s.status === 'signed_out')).toMatchObject({ reason: 'revoked' })
    expect(await a.call('connection.get')).toMatchObject({ status: 'signed_out' })
    expect((await a.callError('conversations.list')).code).toBe('unauthorized')
  })
})
