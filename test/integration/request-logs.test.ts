// Request logs of a real server, read from a memory stream: one line per
// request with its id, method, route pattern, status and duration; the id
// echoed in X-Request-Id (the proxy's when it sent a sensible one); and no
// token, password, join, invite or reset code anywhere in the text.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/logger'
import { errorHandler } from '../../server/http/errors'
import { requestLogger } from '../../server/http/request-log'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect } from '../helpers/socket'

interface LogLine {
  level: number
  msg: string
  reqId?: string
  method?: string
  route?: string | null
  status?: number
  responseTime?: number
  [key: string]: unknown
}

/** A pino destination in memory that lets a test wait for a line (written when a response finishes, maybe after the client read it). */
function memoryLog(): { text: () => string; lines: () => LogLine[]; waitFor: (match: (line: LogLine) => boolean) => Promise<LogLine>; write: (s: string) => void } {
  let text = ''
  const waiters = new Set<() => void>()
  const lines = (): LogLine[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine)
  return {
    text: () => text,
    lines,
    write: (s) => {
      text += s
      for (const w of [...waiters]) w()
    },
    waitFor: (match) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines().find(match)
          if (!found) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no such log line; last ones:\n${text.split('\n').slice(-5).join('\n')}`))
        }, 10_000)
        waiters.add(check)
        check()
      })
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('request logs of a real server', () => {
  const log = memoryLog()
  let srv: TestServer
  let admin: TestUser
  let bob: TestUser

  beforeAll(async () => {
    srv = await startServer({ logger: createLogger({ level: 'debug', destination: log }), loginLimit: { windowMs: 60_000, max: 1000 } })
    admin = await register(srv.url, undefined, 'admin password one')
    bob = await register(srv.url, undefined, 'bob password two')
  })
  afterAll(() => srv.destroy())

  /** The request line of the response that carried this id. */
  const lineOf = (headers: Headers): Promise<LogLine> => {
    const id = headers.get('x-request-id')
    expect(id).toBeTruthy()
    return log.waitFor((l) => l.msg === 'request' && l.reqId === id)
  }

  it('writes one line per request with a generated id, method, route pattern, status and duration, and returns the id', async () => {
    const me = await api(srv.url, 'GET', '/me', { token: bob.accessToken })
    expect(me.status).toBe(200)
    expect(me.headers.get('x-request-id')).toMatch(UUID)
    const line = await lineOf(me.headers)
    expect(line).toMatchObject({ level: 30, method: 'GET', route: '/api/v1/me', status: 200 })
    expect(line.responseTime).toEqual(expect.any(Number))

    const other = await api(srv.url, 'GET', '/me', { token: bob.accessToken })
    expect(other.headers.get('x-request-id')).not.toBe(me.headers.get('x-request-id'))
    expect(log.lines().filter((l) => l.reqId === me.headers.get('x-request-id'))).toHaveLength(1)
  })

  it("keeps a proxy's X-Request-Id and replaces one that is not a sensible id", async () => {
    const kept = await api(srv.url, 'GET', '/me', { token: bob.accessToken, headers: { 'x-request-id': 'lb-7f3a9c.42' } })
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a9c.42')
    expect(await lineOf(kept.headers)).toMatchObject({ route: '/api/v1/me', status: 200 })

    for (const bad of ['two words', 'x'.repeat(129), 'quote"d']) {
      const replaced = await api(srv.url, 'GET', '/me', { token: bob.accessToken, headers: { 'x-request-id': bad } })
      expect(replaced.headers.get('x-request-id')).toMatch(UUID)
    }
  })

  it('logs the pattern of a route whose path holds a code, and a client error at info with its status', async () => {
    const invite = (await api(srv.url, 'POST', '/admin/invites', { token: admin.accessToken, body: {} })).body.invite.code as string
    const revoked = await api(srv.url, 'DELETE', `/admin/invites/${invite}`, { token: admin.accessToken })
    expect(revoked.status).toBe(204)
    expect(await lineOf(revoked.headers)).toMatchObject({ method: 'DELETE', route: '/api/v1/admin/invites/:code', status: 204 })

    const refused = await api(srv.url, 'GET', '/admin/users', { token: bob.accessToken })
    expect(refused.status).toBe(403)
    expect(await lineOf(refused.headers)).toMatchObject({ level: 30, route: '/api/v1/admin/users', status: 403 })

    const unknown = await api(srv.url, 'GET', '/no/such/route/SECRETPATHCODE?code=SECRETQUERYCODE', { checkContract: false })
    expect(unknown.status).toBe(404)
    expect(await lineOf(unknown.headers)).toMatchObject({ method: 'GET', route: null, status: 404 })
    expect(log.text()).not.toContain('SECRETPATHCODE')
    expect(log.text()).not.toContain('SECRETQUERYCODE')
    expect(log.text()).not.toContain(invite)
  })

  it('never writes a token, password, join code or reset code: sign-in, join, reset and a socket', async () => {
    const secrets: string[] = [admin.password, bob.password, admin.accessToken, admin.refreshToken, bob.accessToken, bob.refreshToken]

    const signIn = await api(srv.url, 'POST', '/auth/login', { body: { username: bob.user.username, password: bob.password } })
    expect(signIn.status).toBe(200)
    secrets.push(signIn.body.accessToken, signIn.body.refreshToken)
    expect(await lineOf(signIn.headers)).toMatchObject({ method: 'POST', route: '/api/v1/auth/login', status: 200 })
    const wrong = await api(srv.url, 'POST', '/auth/login', { body: { username: bob.user.username, password: 'a wrong guess here' } })
    expect(wrong.status).toBe(401)
    secrets.push('a wrong guess here')
    await lineOf(wrong.headers)

    const refreshed = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: signIn.body.refreshToken } })
    expect(refreshed.status).toBe(200)
    secrets.push(refreshed.body.accessToken, refreshed.body.refreshToken)
    await lineOf(refreshed.headers)

    const group = (await api(srv.url, 'POST', '/conversations', { token: admin.accessToken, body: { kind: 'group', title: 'Logs', memberIds: [] } })).body.conversation.id as string
    const joinCode = (await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: admin.accessToken, body: {} })).body.joinCode.code as string
    secrets.push(joinCode)
    const joined = await api(srv.url, 'POST', '/join', { token: bob.accessToken, body: { code: joinCode } })
    expect(joined.status).toBe(201)
    expect(await lineOf(joined.headers)).toMatchObject({ method: 'POST', route: '/api/v1/join', status: 201 })

    const reset = await api(srv.url, 'POST', `/admin/users/${bob.user.id}/reset-password`, { token: admin.accessToken })
    expect(reset.status).toBe(201)
    const resetCode = reset.body.code as string
    secrets.push(resetCode, 'the new password of bob')
    expect(await lineOf(reset.headers)).toMatchObject({ route: '/api/v1/admin/users/:id/reset-password', status: 201 })
    const done = await api(srv.url, 'POST', '/auth/reset-password', { body: { username: bob.user.username, code: resetCode, password: 'the new password of bob' } })
    expect(done.status).toBe(200)
    secrets.push(done.body.accessToken, done.body.refreshToken)
    expect(await lineOf(done.headers)).toMatchObject({ route: '/api/v1/auth/reset-password', status: 200 })

    const socket = await connect(srv.url, admin.accessToken)
    const connected = await log.waitFor((l) => l.msg === 'socket connected' && l.socketId === socket.id)
    expect(connected).toMatchObject({ level: 20, userId: admin.user.id })
    const socketId = socket.id
    socket.close()
    expect(await log.waitFor((l) => l.msg === 'socket disconnected' && l.socketId === socketId)).toMatchObject({ userId: admin.user.id })

    const text = log.text()
    for (const secret of secrets) expect(text, `a secret (${secret.slice(0, 4)}…) is in the log`).not.toContain(secret)
    // Nothing that looks like a token or a header.
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/)
    expect(text.toLowerCase()).not.toContain('authorization')
    expect(text.toLowerCase()).not.toContain('bearer')
  })
})

describe('an error of the server', () => {
  it('is logged with the id of its request, which the client sees in X-Request-Id', async () => {
    const log = memoryLog()
    const logger = createLogger({ destination: log })
    const app = express()
    app.use(requestLogger(logger))
    app.get('/boom/:code', () => {
      throw new Error('the disk caught fire')
    })
    app.use(errorHandler(logger))
    const server = app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom/SECRETCODE?token=SECRETTOKEN`, {
        headers: { 'x-request-id': 'incident-17', authorization: 'Bearer SECRETBEARER' }
      })
      expect(res.status).toBe(500)
      expect(res.headers.get('x-request-id')).toBe('incident-17')
      const error = await log.waitFor((l) => l.msg === 'unhandled error')
      expect(error).toMatchObject({ level: 50, reqId: 'incident-17', route: '/boom/:code', err: { message: 'the disk caught fire' } })
      expect(await log.waitFor((l) => l.msg === 'request failed')).toMatchObject({ level: 50, reqId: 'incident-17', status: 500, route: '/boom/:code' })
      for (const secret of ['SECRETCODE', 'SECRETTOKEN', 'SECRETBEARER']) expect(log.text()).not.toContain(secret)
    } finally {
      server.close()
    }
  })
})
