// Administration through the client core, as the renderer calls it: an admin
// manages accounts and invites, a disabled account is signed out, and a
// signed-out user sets a new password with a reset code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueName } from '../helpers/http'
import { PASSWORD, startClient, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
const clients: TestClient[] = []

async function client(): Promise<TestClient> {
  const c = await startClient()
  clients.push(c)
  return c
}

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  for (const c of clients) await c.destroy()
  await srv.destroy()
})

describe('administration through the client core', () => {
  it('the first account administers; a reset code lets a signed-out user in with a new password', async () => {
    const boss = await client()
    const bossName = uniqueName('boss')
    const signedIn = await boss.call('session.register', { serverUrl: srv.url, username: bossName, password: PASSWORD })
    expect(signedIn).toMatchObject({ status: 'signed_in', me: { serverAdmin: true } })
    expect(await boss.call('server.info', { serverUrl: srv.url })).toEqual({ name: 'LAN Messenger', registration: 'open', passwordResetByEmail: false })

    const pat = await client()
    const patName = uniqueName('pat')
    const patState = await pat.call('session.register', { serverUrl: srv.url, username: patName, password: PASSWORD })
    if (patState.status !== 'signed_in') throw new Error('pat did not sign in')
    expect(patState.me.serverAdmin).toBe(false)
    expect((await pat.callError('admin.users')).code).toBe('forbidden')

    const people = await boss.call('admin.users')
    expect(people.map((u) => [u.username, u.serverAdmin])).toEqual([
      [bossName, true],
      [patName, false]
    ])

    // Disabling pat signs pat's app out, with the reason.
    const since = pat.mark()
    expect(await boss.call('admin.updateUser', { userId: patState.me.id, disabled: true })).toMatchObject({ disabled: true })
    expect(await pat.waitFor('session', (s) => s.status === 'signed_out', undefined, since)).toMatchObject({ reason: 'disabled' })
    expect((await pat.callError('session.login', { serverUrl: srv.url, username: patName, password: PASSWORD })).code).toBe('account_disabled')
    await boss.call('admin.updateUser', { userId: patState.me.id, disabled: false })

    // Forgot password: no SMTP here, so an admin hands over the code.
    expect(await pat.call('session.requestReset', { serverUrl: srv.url, username: patName })).toEqual({ delivery: 'admin' })
    const reset = await boss.call('admin.resetPassword', { userId: patState.me.id })
    expect(reset).toMatchObject({ code: expect.stringMatching(/^[0-9A-Z]{10}$/), emailed: false })
    const wrong = await pat.callError('session.resetPassword', { serverUrl: srv.url, username: patName, code: 'ABCDEFGHJK', password: 'fresh password' })
    expect(wrong.code).toBe('reset_code_invalid')
    const back = await pat.call('session.resetPassword', { serverUrl: srv.url, username: patName, code: reset.code!, password: 'fresh password' })
    expect(back).toMatchObject({ status: 'signed_in', me: { id: patState.me.id } })
    expect((await pat.callError('session.resetPassword', { serverUrl: srv.url, username: patName, code: reset.code!, password: 'other password' })).code).toBe(
      'reset_code_invalid'
    )
  })

  it('invites and settings: an invite-only server takes a sign-up with a code from the admin', async () => {
    const boss = clients[0]!
    expect(await boss.call('admin.updateSettings', { registration: 'invite', name: 'Lab' })).toMatchObject({ registration: 'invite', name: 'Lab' })
    expect(await boss.call('admin.settings')).toMatchObject({ registration: 'invite', name: 'Lab', retentionDays: null })
    expect((await boss.callError('admin.updateSettings', {})).code).toBe('validation_failed')
    const invite = await boss.call('admin.createInvite', { maxUses: 1 })
    expect((await boss.call('admin.invites')).map((i) => i.code)).toContain(invite.code)

    const newcomer = await client()
    const name = uniqueName('new')
    expect((await newcomer.callError('session.register', { serverUrl: srv.url, username: name, password: PASSWORD })).code).toBe('invite_required')
    const joined = await newcomer.call('session.register', { serverUrl: srv.url, username: name, password: PASSWORD, inviteCode: invite.code.toLowerCase() })
    expect(joined.status).toBe('signed_in')

    const spare = await boss.call('admin.createInvite', {})
    expect(await boss.call('admin.deleteInvite', { code: spare.code })).toBeNull()
    expect((await boss.callError('admin.deleteInvite', { code: spare.code })).code).toBe('not_found')
    await boss.call('admin.updateSettings', { registration: 'open' })
  })
})
