// Server administration against a real server: the first account is the admin,
// admins manage accounts, invites, registration and settings, and password
// resets go through single-use, expiring codes.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register, uniqueName, type ApiResponse, type TestUser } from '../helpers/http'
import { recordsAtRest, startServer, type TestServer } from '../helpers/server'
import { testEngine } from '../helpers/engines'
import { collectWhere } from '../helpers/events'
import { connect } from '../helpers/socket'
import { startClient, signUp } from '../helpers/client'
import { startSmtp, type TestSmtp } from '../helpers/smtp'
import { expectError } from '../helpers/expect-error'

let srv: TestServer
let skew = 0
let admin: TestUser
let bob: TestUser

const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })

async function login(user: TestUser, password = user.password): Promise<ApiResponse> {
  return api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password } })
}

beforeAll(async () => {
  srv = await startServer({ clock: () => Date.now() + skew, resetCodeTtlMinutes: 10, loginLimit: { windowMs: 60_000, max: 1000 } })
  admin = await register(srv.url)
  bob = await register(srv.url)
})
afterAll(() => srv.destroy())

describe('the server admin', () => {
  it('is the first account; later accounts are not', async () => {
    expect((await as(admin, 'GET', '/me')).body.user.serverAdmin).toBe(true)
    expect((await as(bob, 'GET', '/me')).body.user.serverAdmin).toBe(false)
    const users = (await as(admin, 'GET', '/admin/users')).body.users as { id: string; serverAdmin: boolean; disabled: boolean }[]
    expect(users.map((u) => u.id).slice(0, 2)).toEqual([admin.user.id, bob.user.id])
    expect(users[0]).toMatchObject({ serverAdmin: true, disabled: false })
  })

  it('refuses every admin route to someone who is not an admin, before reading the input', async () => {
    const doc = (await api(srv.url, 'GET', '/openapi.json', { checkContract: false })).body as { paths: Record<string, object> }
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => [method.toUpperCase(), path] as const))
    expect(routes.length).toBeGreaterThanOrEqual(8)
    for (const [method, template] of routes) {
      const path = template.replace('{id}', admin.user.id).replace('{code}', 'ABCDEFGHJK')
      const withBody = method === 'GET' || method === 'DELETE' ? undefined : { registration: 'closed', disabled: true, maxUses: 2 }
      expectError(await as(bob, method, path, withBody), 403, 'forbidden')
      // Even nonsense gets 403, not a validation error that would reveal the route's shape.
      if (method !== 'GET') expectError(await as(bob, method, path.replace(admin.user.id, 'x'), { nonsense: true }), 403, 'forbidden')
    }
    // Nothing changed.
    expect((await api(srv.url, 'GET', '/server')).body.registration).toBe('open')
    expect((await as(admin, 'GET', '/me')).body.user.serverAdmin).toBe(true)
  })

  it('can make and revoke admins, but never leaves the server without an enabled one', async () => {
    expectError(await as(admin, 'PATCH', `/admin/users/${admin.user.id}`, { serverAdmin: false }), 409, 'conflict')
    expectError(await as(admin, 'PATCH', `/admin/users/${admin.user.id}`, { disabled: true }), 409, 'conflict')
    const made = await as(admin, 'PATCH', `/admin/users/${bob.user.id}`, { serverAdmin: true })
    expect(made.status).toBe(200)
    expect(made.body.user).toMatchObject({ id: bob.user.id, serverAdmin: true, disabled: false })
    expect((await as(bob, 'GET', '/admin/users')).status).toBe(200)
    expect((await as(bob, 'PATCH', `/admin/users/${bob.user.id}`, { serverAdmin: false })).body.user.serverAdmin).toBe(false)
    expectError(await as(bob, 'GET', '/admin/users'), 403, 'forbidden')
    expectError(await as(admin, 'PATCH', `/admin/users/${admin.user.id}`, {}), 400, 'validation_failed')
  })
})

describe('a role or profile change', () => {
  it('reaches every open socket of that account at once, not at its next connection', async () => {
    const erin = await register(srv.url)
    const [one, two] = [await connect(srv.url, erin.accessToken), await connect(srv.url, erin.accessToken)]
    const bystander = await connect(srv.url, bob.accessToken)
    const heard: unknown[] = []
    bystander.on('account:updated', (p) => heard.push(p))
    try {
      const made = Promise.all([one, two].map((s) => collectWhere(s, 'account:updated', 1, (p) => p.user.serverAdmin)))
      expect((await as(admin, 'PATCH', `/admin/users/${erin.user.id}`, { serverAdmin: true })).status).toBe(200)
      for (const [payload] of await made) expect(payload!.user).toMatchObject({ id: erin.user.id, serverAdmin: true })
      const revoked = collectWhere(two, 'account:updated', 1, (p) => !p.user.serverAdmin)
      expect((await as(admin, 'PATCH', `/admin/users/${erin.user.id}`, { serverAdmin: false })).status).toBe(200)
      await revoked
      // A profile edited on one device shows on the others.
      const renamed = collectWhere(one, 'account:updated', 1, (p) => p.user.displayName === 'Erin on the laptop')
      expect((await as(erin, 'PATCH', '/me', { displayName: 'Erin on the laptop' })).status).toBe(200)
      await renamed
      expect(heard).toEqual([])
    } finally {
      for (const s of [one, two, bystander]) s.disconnect()
    }
  })

  it('shows in the desktop client core without reconnecting', async () => {
    const client = await startClient()
    try {
      const { me } = await signUp(client, srv.url)
      const since = client.mark()
      expect((await as(admin, 'PATCH', `/admin/users/${me.id}`, { serverAdmin: true })).status).toBe(200)
      const state = await client.waitFor('session', (s) => s.status === 'signed_in' && s.me.serverAdmin, 10_000, since)
      expect(state.status === 'signed_in' && state.me.id).toBe(me.id)
      // Still the same connection: no reconnect was needed to learn it.
      expect(client.payloads('connection').slice(-1)[0]?.status).toBe('online')
    } finally {
      await client.destroy()
    }
  })
})

describe('disabling an account', () => {
  it('signs it out everywhere, disconnects its sockets, and blocks sign-in and refresh until enabled', async () => {
    const carol = await register(srv.url)
    const second = (await login(carol)).body
    const socket = await connect(srv.url, carol.accessToken)
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))

    const res = await as(admin, 'PATCH', `/admin/users/${carol.user.id}`, { disabled: true })
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ disabled: true, serverAdmin: false })
    expect(await disconnected).toBe('io server disconnect')

    expectError(await login(carol), 403, 'account_disabled')
    expectError(await api(srv.url, 'POST', '/auth/login', { body: { username: carol.user.username, password: 'wrong password' } }), 401, 'invalid_credentials')
    for (const token of [carol.refreshToken, second.refreshToken]) {
      expectError(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: token } }), 403, 'account_disabled')
    }
    expectError(await as(carol, 'GET', '/me'), 401, 'session_revoked')
    await expect(connect(srv.url, carol.accessToken)).rejects.toMatchObject({ data: { code: 'session_revoked' } })

    expect((await as(admin, 'PATCH', `/admin/users/${carol.user.id}`, { disabled: false })).body.user.disabled).toBe(false)
    const back = await login(carol)
    expect(back.status).toBe(200)
    // The sessions from before stay signed out.
    expectError(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: carol.refreshToken } }), 401, 'session_revoked')
  })

  it('answers 404 for an unknown account', async () => {
    expectError(await as(admin, 'PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', { disabled: true }), 404, 'not_found')
    expectError(await as(admin, 'POST', '/admin/users/00000000-0000-4000-8000-000000000000/reset-password'), 404, 'not_found')
  })
})

describe('password reset', () => {
  it('issues a one-time code to the admin, signs the user out, and the code sets a new password once', async () => {
    const dan = await register(srv.url)
    const socket = await connect(srv.url, dan.accessToken)
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))
    const reset = await as(admin, 'POST', `/admin/users/${dan.user.id}/reset-password`)
    expect(reset.status).toBe(201)
    expect(reset.body).toMatchObject({ code: expect.stringMatching(/^[0-9A-Z]{10}$/), emailed: false })
    expect(Date.parse(reset.body.expiresAt)).toBeGreaterThan(Date.now())
    expect(await disconnected).toBe('io server disconnect')
    expectError(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: dan.refreshToken } }), 401, 'session_revoked')
    // Only its hash is at rest.
    expect(await recordsAtRest(srv)).not.toContain(reset.body.code)

    // A session started with the old password before the code is used ends with the reset too.
    const meanwhile = (await login(dan)).body
    const code = reset.body.code as string
    const body = (c: string, password = 'a brand new password'): unknown => ({ username: dan.user.username, code: c, password })
    expectError(await api(srv.url, 'POST', '/auth/reset-password', { body: body('ABCDEFGHJK') }), 400, 'reset_code_invalid')
    expectError(await api(srv.url, 'POST', '/auth/reset-password', { body: { ...(body(code) as object), username: bob.user.username } }), 400, 'reset_code_invalid')
    const done = await api(srv.url, 'POST', '/auth/reset-password', { body: body(` ${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `) })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body.user.id).toBe(dan.user.id)
    expectError(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: meanwhile.refreshToken } }), 401, 'session_revoked')
    expect((await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: done.body.refreshToken } })).status).toBe(200)

    expectError(await login(dan), 401, 'invalid_credentials')
    expect((await login(dan, 'a brand new password')).status).toBe(200)
    // Single use.
    expectError(await api(srv.url, 'POST', '/auth/reset-password', { body: body(code, 'yet another password') }), 400, 'reset_code_invalid')
    expect((await login(dan, 'a brand new password')).status).toBe(200)
  })

  it('expires: a code past its lifetime is refused and used up', async () => {
    const erin = await register(srv.url)
    const { code } = (await as(admin, 'POST', `/admin/users/${erin.user.id}/reset-password`)).body as { code: string }
    skew += 11 * 60_000
    try {
      const body = { username: erin.user.username, code, password: 'a brand new password' }
      expectError(await api(srv.url, 'POST', '/auth/reset-password', { body }), 400, 'reset_code_invalid')
    } finally {
      skew -= 11 * 60_000
    }
    const body = { username: erin.user.username, code, password: 'a brand new password' }
    expectError(await api(srv.url, 'POST', '/auth/reset-password', { body }), 400, 'reset_code_invalid')
    // A new code replaces the old one.
    const first = (await as(admin, 'POST', `/admin/users/${erin.user.id}/reset-password`)).body.code as string
    const second = (await as(admin, 'POST', `/admin/users/${erin.user.id}/reset-password`)).body.code as string
    expectError(await api(srv.url, 'POST', '/auth/reset-password', { body: { ...body, code: first } }), 400, 'reset_code_invalid')
    expect((await api(srv.url, 'POST', '/auth/reset-password', { body: { ...body, code: second } })).status).toBe(200)
  })

  it('without SMTP, "forgot password" tells the user to ask an admin', async () => {
    const res = await api(srv.url, 'POST', '/auth/forgot-password', { body: { username: bob.user.username } })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ delivery: 'admin' })
    expect((await api(srv.url, 'GET', '/server')).body.passwordResetByEmail).toBe(false)
  })
})

describe('registration modes', () => {
  const signUp = (body: Record<string, unknown> = {}): Promise<ApiResponse> =>
    api(srv.url, 'POST', '/auth/register', { body: { username: uniqueName('new'), password: 'long enough pw', ...body } })

  it('invite-only refuses sign-up without a valid code and accepts one, as many times as it allows', async () => {
    expect((await as(admin, 'PATCH', '/admin/settings', { registration: 'invite' })).body.settings.registration).toBe('invite')
    expect((await api(srv.url, 'GET', '/server')).body).toMatchObject({ registration: 'invite' })
    expectError(await signUp(), 403, 'invite_required')
    expectError(await signUp({ inviteCode: 'ABCDEFGHJK' }), 403, 'invite_invalid')

    const once = (await as(admin, 'POST', '/admin/invites', {})).body.invite
    expect(once).toMatchObject({ code: expect.stringMatching(/^[0-9A-Z]{10}$/), maxUses: 1, uses: 0, expiresAt: null, createdBy: admin.user.id })
    expect((await signUp({ inviteCode: once.code.toLowerCase() })).status).toBe(201)
    expectError(await signUp({ inviteCode: once.code }), 403, 'invite_invalid')

    const twice = (await as(admin, 'POST', '/admin/invites', { maxUses: 2, expiresInSeconds: 3600 })).body.invite
    expect((await signUp({ inviteCode: twice.code })).status).toBe(201)
    const listed = (await as(admin, 'GET', '/admin/invites')).body.invites as { code: string; uses: number }[]
    expect(listed.find((i) => i.code === twice.code)?.uses).toBe(1)
    expect(listed.find((i) => i.code === once.code)?.uses).toBe(1)
    skew += 3601_000
    try {
      expectError(await signUp({ inviteCode: twice.code }), 403, 'invite_invalid')
    } finally {
      skew -= 3601_000
    }

    const revoked = (await as(admin, 'POST', '/admin/invites', {})).body.invite
    expect((await as(admin, 'DELETE', `/admin/invites/${revoked.code}`)).status).toBe(204)
    expectError(await as(admin, 'DELETE', `/admin/invites/${revoked.code}`), 404, 'not_found')
    expectError(await signUp({ inviteCode: revoked.code }), 403, 'invite_invalid')
    expectError(await signUp({ inviteCode: 'short' }), 400, 'validation_failed')
  })

  it('a one-use invite makes one account even when two sign-ups race for it', async () => {
    await as(admin, 'PATCH', '/admin/settings', { registration: 'invite' })
    const { code } = (await as(admin, 'POST', '/admin/invites', {})).body.invite as { code: string }
    const answers = await Promise.all([signUp({ inviteCode: code }), signUp({ inviteCode: code }), signUp({ inviteCode: code })])
    expect(answers.map((r) => r.status).sort()).toEqual([201, 403, 403])
    await as(admin, 'PATCH', '/admin/settings', { registration: 'open' })
  })

  it('closed refuses every sign-up; open takes them again', async () => {
    await as(admin, 'PATCH', '/admin/settings', { registration: 'closed' })
    const invite = (await as(admin, 'POST', '/admin/invites', {})).body.invite
    expectError(await signUp(), 403, 'registration_closed')
    expectError(await signUp({ inviteCode: invite.code }), 403, 'registration_closed')
    await as(admin, 'PATCH', '/admin/settings', { registration: 'open' })
    expect((await signUp()).status).toBe(201)
  })
})

describe('server settings', () => {
  it('are validated, saved and kept across a restart', async () => {
    const bad: unknown[] = [
      {},
      { name: '' },
      { name: 'x'.repeat(65) },
      { name: 'bad\u0007name' },
      { registration: 'invite-only' },
      { maxFileBytes: 10 },
      { maxFileBytes: 1.5e6 + 0.5 },
      { maxFileBytes: 5 * 1024 ** 3 },
      { retentionDays: 0 },
      { retentionDays: 36_501 },
      { retentionDays: '30' },
      { linkPreviews: 'some' },
      { colour: 'blue' }
    ]
    for (const body of bad) expectError(await as(admin, 'PATCH', '/admin/settings', body), 400, 'validation_failed')
    const before = (await as(admin, 'GET', '/admin/settings')).body.settings
    expect(before).toEqual({ name: 'LAN Messenger', registration: 'open', maxFileBytes: 2 * 1024 ** 3, retentionDays: null, linkPreviews: 'public' })

    const changed = { name: 'Workshop chat', maxFileBytes: 2048, retentionDays: 30, linkPreviews: 'all' }
    expect((await as(admin, 'PATCH', '/admin/settings', changed)).body.settings).toEqual({ ...before, ...changed })
    expect((await as(admin, 'PATCH', '/admin/settings', { retentionDays: null })).body.settings.retentionDays).toBeNull()
    await as(admin, 'PATCH', '/admin/settings', { retentionDays: 30 })

    await srv.stop()
    srv = await startServer({ clock: () => Date.now() + skew, resetCodeTtlMinutes: 10, loginLimit: { windowMs: 60_000, max: 1000 } }, srv.dataDir)
    admin = { ...admin, ...(await login(admin)).body }
    expect((await as(admin, 'GET', '/admin/settings')).body.settings).toEqual({ ...before, ...changed })
    expect((await api(srv.url, 'GET', '/server')).body).toEqual({ name: 'Workshop chat', registration: 'open', passwordResetByEmail: false })
  })

  it("the file size limit is enforced: an upload over the admins' limit gets 413 at once, one under it is taken", async () => {
    const made = await as(bob, 'POST', '/conversations', { kind: 'group', title: 'files', memberIds: [] })
    const conversationId = made.body.conversation.id as string
    expect((await as(admin, 'PATCH', '/admin/settings', { maxFileBytes: 4096 })).status).toBe(200)
    expectError(await as(bob, 'POST', '/files', { conversationId, name: 'big.bin', size: 4097 }), 413, 'payload_too_large')
    expect((await as(bob, 'POST', '/files', { conversationId, name: 'small.bin', size: 4096 })).status).toBe(201)
    expect((await as(admin, 'PATCH', '/admin/settings', { maxFileBytes: 2 * 1024 ** 3 })).status).toBe(200)
    expect((await as(bob, 'POST', '/files', { conversationId, name: 'big.bin', size: 4097 })).status).toBe(201)
  })

  // Data-dir only: it rewrites db.json as an older version wrote it; a PostgreSQL database never held data from before administration.
  it.skipIf(testEngine() === 'postgres')('a data directory from before administration gets its oldest account as admin on start', async () => {
    await srv.stop()
    const path = join(srv.dataDir, 'db.json')
    const db = JSON.parse(await readFile(path, 'utf8')) as { users: Record<string, { serverAdmin?: boolean }>; settings?: unknown }
    for (const user of Object.values(db.users)) delete user.serverAdmin
    delete db.settings
    await writeFile(path, JSON.stringify(db))
    srv = await startServer({ clock: () => Date.now() + skew, loginLimit: { windowMs: 60_000, max: 1000 } }, srv.dataDir)
    admin = { ...admin, ...(await login(admin)).body }
    expect((await as(admin, 'GET', '/me')).body.user.serverAdmin).toBe(true)
    const admins = ((await as(admin, 'GET', '/admin/users')).body.users as { serverAdmin: boolean }[]).filter((u) => u.serverAdmin)
    expect(admins).toHaveLength(1)
    expect((await as(admin, 'GET', '/admin/settings')).body.settings.registration).toBe('open')
  })
})

describe('reset codes by email (SMTP through nodemailer)', () => {
  let smtp: TestSmtp
  let mailed: TestServer
  beforeAll(async () => {
    smtp = await startSmtp()
    mailed = await startServer({ smtp: { url: smtp.url, from: 'Messenger <messenger@office.test>' } })
  })
  afterAll(async () => {
    await mailed.destroy()
    await smtp.close()
  })

  it('emails the code to users with an address; the admin gets it for those without', async () => {
    const boss = await register(mailed.url)
    const fay = await register(mailed.url)
    const call = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
      api(mailed.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
    expect((await api(mailed.url, 'GET', '/server')).body.passwordResetByEmail).toBe(true)

    const noAddress = await call(boss, 'POST', `/admin/users/${fay.user.id}/reset-password`)
    expect(noAddress.body).toMatchObject({ code: expect.any(String), emailed: false })
    fay.accessToken = (await api(mailed.url, 'POST', '/auth/login', { body: { username: fay.user.username, password: fay.password } })).body.accessToken
    expect((await call(fay, 'PATCH', '/me', { email: 'fay@office.test' })).body.user.email).toBe('fay@office.test')
    expectError(await call(fay, 'PATCH', '/me', { email: 'not an address' }), 400, 'validation_failed')

    const emailed = await call(boss, 'POST', `/admin/users/${fay.user.id}/reset-password`)
    expect(emailed.body).toMatchObject({ code: null, emailed: true })
    const mail = await smtp.next()
    expect(mail.to).toEqual(['<fay@office.test>'])
    expect(mail.data).toMatch(/Subject: Your password reset code/)
    const code = /^ {4}([0-9A-Z]{10})$/m.exec(mail.data)?.[1]
    expect(code, mail.data).toBeDefined()
    const done = await api(mailed.url, 'POST', '/auth/reset-password', { body: { username: fay.user.username, code, password: 'mailed new password' } })
    expect(done.status).toBe(200)

    // Forgot password: the same answer whether the account exists or not; only a real address gets mail.
    for (const username of [fay.user.username, 'nobody-here', boss.user.username]) {
      const res = await api(mailed.url, 'POST', '/auth/forgot-password', { body: { username } })
      expect(res.status).toBe(202)
      expect(res.body).toEqual({ delivery: 'email' })
    }
    const forgot = await smtp.next()
    // Asking again at once sends nothing more (the answer is the same): nobody can flood an inbox.
    expect((await api(mailed.url, 'POST', '/auth/forgot-password', { body: { username: fay.user.username } })).body).toEqual({ delivery: 'email' })
    const again = /^ {4}([0-9A-Z]{10})$/m.exec(forgot.data)?.[1]
    const reset = await api(mailed.url, 'POST', '/auth/reset-password', { body: { username: fay.user.username, code: again, password: 'another mailed pw' } })
    expect(reset.status).toBe(200)
    expect(smtp.mails).toHaveLength(2)
  })
})
