import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register, uniqueName } from '../helpers/http'
import { connect } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer

beforeAll(async () => {
  srv = await startServer({ refreshReuseGraceMs: 0, loginLimit: { windowMs: 60_000, max: 3 } })
})
afterAll(() => srv.destroy())

describe('accounts', () => {
  it('registers, signs in and reads the profile', async () => {
    const name = uniqueName('Alice')
    const reg = await api(srv.url, 'POST', '/auth/register', {
      body: { username: name, password: 'long enough password', displayName: 'Alice A.' }
    })
    expect(reg.status).toBe(201)
    expect(reg.body.user).toMatchObject({ username: name, displayName: 'Alice A.', statusText: '' })
    expect(reg.body.accessToken).toMatch(/^ey/)
    expect(reg.body.refreshToken).toBeTruthy()

    // Usernames are unique regardless of case.
    const taken = await api(srv.url, 'POST', '/auth/register', { body: { username: name.toUpperCase(), password: 'another password' } })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('username_taken')

    const login = await api(srv.url, 'POST', '/auth/login', { body: { username: name.toLowerCase(), password: 'long enough password' } })
    expect(login.status).toBe(200)
    expect(login.body.user.id).toBe(reg.body.user.id)

    const me = await api(srv.url, 'GET', '/me', { token: login.body.accessToken })
    expect(me.status).toBe(200)
    expect(me.body.user.username).toBe(name)
  })

  it('refuses a wrong password without saying which part was wrong', async () => {
    const user = await register(srv.url)
    const wrong = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: 'not the password' } })
    const unknown = await api(srv.url, 'POST', '/auth/login', { body: { username: uniqueName('ghost'), password: 'whatever123' } })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body.error).toEqual(unknown.body.error)
    expect(wrong.body.error.code).toBe('invalid_credentials')
  })

  it('limits failed sign-ins per user and address, and still lets others in', async () => {
    const user = await register(srv.url)
    for (let i = 0; i < 3; i++) {
      const res = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: 'bad password' } })
      expect(res.status).toBe(401)
    }
    const limited = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    const other = await register(srv.url)
    const ok = await api(srv.url, 'POST', '/auth/login', { body: { username: other.user.username, password: other.password } })
    expect(ok.status).toBe(200)
  })

  it('updates display name and status, and finds people by either name', async () => {
    const user = await register(srv.url, uniqueName('zed'))
    const patched = await api(srv.url, 'PATCH', '/me', {
      token: user.accessToken,
      body: { displayName: '  Zed Quux  ', statusText: 'on leave' }
    })
    expect(patched.status).toBe(200)
    expect(patched.body.user).toMatchObject({ displayName: 'Zed Quux', statusText: 'on leave' })
    const byDisplay = await api(srv.url, 'GET', '/users?q=quux', { token: user.accessToken })
    expect(byDisplay.body.users.map((u: { id: string }) => u.id)).toContain(user.user.id)
    const byName = await api(srv.url, 'GET', `/users?q=${user.user.username.slice(0, 4).toUpperCase()}`, { token: user.accessToken })
    expect(byName.body.users.map((u: { id: string }) => u.id)).toContain(user.user.id)
    const none = await api(srv.url, 'GET', '/users?q=nobody-has-this-name', { token: user.accessToken })
    expect(none.body.users).toEqual([])
  })
  it('sets and removes a profile picture; others see it; a bad picture is refused with a reason', async () => {
    const user = await register(srv.url, uniqueName('pic'))
    const other = await register(srv.url)
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
    const set = await api(srv.url, 'PATCH', '/me', { token: user.accessToken, body: { avatar: png } })
    expect(set.status).toBe(200)
    expect(set.body.user.avatar).toBe(png)
    const seen = await api(srv.url, 'GET', `/users?q=${user.user.username}`, { token: other.accessToken })
    expect(seen.body.users[0].avatar).toBe(png)
    const bad = await api(srv.url, 'PATCH', '/me', { token: user.accessToken, body: { avatar: 'javascript:alert(1)' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('avatar')
    const removed = await api(srv.url, 'PATCH', '/me', { token: user.accessToken, body: { avatar: null } })
    expect(removed.body.user.avatar).toBeNull()
  })
})

describe('refresh tokens', () => {
  it('rotates on every use: the new pair works, the old refresh token does not', async () => {
    const user = await register(srv.url)
    const first = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })
    expect(first.status).toBe(200)
    expect(first.body.refreshToken).not.toBe(user.refreshToken)
    const me = await api(srv.url, 'GET', '/me', { token: first.body.accessToken })
    expect(me.status).toBe(200)
    const second = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } })
    expect(second.status).toBe(200)
  })

  it('treats re-use of a rotated token as theft and signs the whole session out', async () => {
    const user = await register(srv.url)
    const rotated = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })
    expect(rotated.status).toBe(200)
    const replay = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('session_revoked')
    // The legitimate holder's newer tokens are revoked too.
    const newest = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })
    expect(newest.status).toBe(401)
    const me = await api(srv.url, 'GET', '/me', { token: rotated.body.accessToken })
    expect(me.status).toBe(401)
    expect(me.body.error.code).toBe('session_revoked')
    // Other sessions of the same user are unaffected.
    const login = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
    expect((await api(srv.url, 'GET', '/me', { token: login.body.accessToken })).status).toBe(200)
  })

  it('within the grace window a retried refresh gets working tokens instead of a sign-out', async () => {
    const graceful = await startServer({ refreshReuseGraceMs: 60_000 })
    try {
      const user = await register(graceful.url)
      const [a, b] = await Promise.all([
        api(graceful.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } }),
        api(graceful.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })
      ])
      expect([a.status, b.status]).toEqual([200, 200])
      for (const res of [a, b]) {
        const next = await api(graceful.url, 'POST', '/auth/refresh', { body: { refreshToken: res.body.refreshToken } })
        expect(next.status).toBe(200)
      }
    } finally {
      await graceful.destroy()
    }
  })

  it('logout revokes the session: refresh fails, access fails, its sockets are disconnected', async () => {
    const user = await register(srv.url)
    const socket = await connect(srv.url, user.accessToken)
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))
    const out = await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: user.refreshToken } })
    expect(out.status).toBe(204)
    expect(await disconnected).toBe('io server disconnect')
    const refresh = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })
    expect(refresh.status).toBe(401)
    expect((await api(srv.url, 'GET', '/me', { token: user.accessToken })).status).toBe(401)
    await expect(connect(srv.url, user.accessToken)).rejects.toMatchObject({ data: { code: 'session_revoked' } })
    // Logging out twice, or with an unknown token, is harmless.
    expect((await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: user.refreshToken } })).status).toBe(204)
    expect((await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: 'unknown' } })).status).toBe(204)
  })
})
