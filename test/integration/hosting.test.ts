// Hosting from the app, through the core's hosting controller: the bundled
// server CLI runs in a child process (as in the Node host), over TLS, its
// own account connects to it, its invite link brings a second client in
// (trusting the certificate from the link and joining a group), it comes
// back with the app when asked to, and it stops.
import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { parseServerInput } from '../../src/shared/invite'
import { PASSWORD, signUp, startClient, type TestClient } from '../helpers/client'
import { uniqueName } from '../helpers/http'
import { TEST_HOSTING as HOSTING } from '../helpers/hosting'

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('hosting the server from the app', () => {
  it('starts the bundled server, invites a second client by link, starts again with the app, and stops', async () => {
    let host: TestClient = await startClient(undefined, { hosting: HOSTING })
    cleanup.push(() => host.destroy())
    expect(await host.call('hosting.status')).toMatchObject({ state: 'stopped', autoStart: false, port: 7450 })
    expect((await host.callError('hosting.invite', {})).code).toBe('unavailable')

    const running = await host.call('hosting.start', { port: 0, name: 'Test office' })
    expect(running).toMatchObject({ state: 'running', name: 'Test office', error: null })
    expect(running.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(running.localUrl).toBe(`https://127.0.0.1:${running.port}`)
    expect(running.urls).toEqual([running.localUrl])
    expect(running.dataDir.startsWith(host.userDataDir)).toBe(true)
    await host.waitFor('hosting', (s) => s.state === 'running')

    // The host's own account: its own server's certificate is trusted without asking.
    expect((await host.call('server.probe', { serverUrl: running.localUrl! })).certificate?.state).toBe('trusted')
    await signUp(host, running.localUrl!)
    const group = await host.call('conversations.createGroup', { title: 'Office', memberIds: [] })
    const joinCode = await host.call('conversations.createJoinCode', { conversationId: group.id })

    const invite = await host.call('hosting.invite', { code: joinCode.code })
    expect(invite.qr).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(invite.qr.split(',')[1]!, 'base64').toString('utf8')).toContain('<svg')
    const parsed = parseServerInput(invite.link)
    expect(parsed).toEqual({ server: running.urls[0], fingerprint: running.fingerprint, code: joinCode.code, invite: null })

    // A colleague pastes the link: the fingerprint in it is what their app trusts.
    const colleague = await startClient()
    cleanup.push(() => colleague.destroy())
    expect((await colleague.call('server.probe', { serverUrl: parsed.server })).certificate?.state).toBe('new')
    await colleague.call('server.trust', { serverUrl: parsed.server, fingerprint: parsed.fingerprint! })
    await signUp(colleague, parsed.server)
    const joined = await colleague.call('conversations.join', { code: parsed.code! })
    expect(joined.id).toBe(group.id)
    await colleague.call('messages.send', { conversationId: group.id, text: 'hello host' })
    await host.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'hello host'))

    // Invite-only: the host (its first account, so the admin) puts a sign-up invite code in the link.
    await host.call('admin.updateSettings', { registration: 'invite' })
    const signUpInvite = await host.call('admin.createInvite', {})
    const inviteOnly = parseServerInput((await host.call('hosting.invite', { invite: signUpInvite.code })).link)
    expect(inviteOnly).toMatchObject({ server: running.urls[0], code: null, invite: signUpInvite.code })
    const newcomer = await startClient()
    cleanup.push(() => newcomer.destroy())
    await newcomer.call('server.trust', { serverUrl: inviteOnly.server, fingerprint: inviteOnly.fingerprint! })
    const account = { serverUrl: inviteOnly.server, username: uniqueName('n'), password: PASSWORD }
    expect((await newcomer.callError('session.register', account)).code).toBe('invite_required')
    expect((await newcomer.call('session.register', { ...account, inviteCode: inviteOnly.invite! })).status).toBe('signed_in')

    // "Start with the app": the app quits (the server stops with it) and starts again.
    await host.call('hosting.setAutoStart', { autoStart: true })
    const hostDir = host.userDataDir
    const colleagueLost = colleague.mark()
    await host.close()
    await colleague.waitFor('connection', (c) => c.status !== 'online', 20_000, colleagueLost)
    // It comes back with the same certificate (the same data directory); port 0 here, so on a new port.
    host = await startClient(hostDir, { hosting: { ...HOSTING } })
    const again = await host.waitFor('hosting', (s) => s.state === 'running', 30_000)
    expect(again.fingerprint).toBe(running.fingerprint)
    expect(again.autoStart).toBe(true)

    const stopped = await host.call('hosting.stop')
    expect(stopped).toMatchObject({ state: 'stopped', error: null, urls: [], localUrl: null })
  })

  it('says why when the server cannot start (the port is taken), and can start again on another', async () => {
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    cleanup.push(() => new Promise<void>((done) => blocker.close(() => done())))
    const taken = (blocker.address() as { port: number }).port
    const host = await startClient(undefined, { hosting: HOSTING })
    cleanup.push(() => host.destroy())
    const failed = await host.call('hosting.start', { port: taken })
    expect(failed.state).toBe('failed')
    expect(failed.error?.message).toContain('EADDRINUSE')
    expect(failed.urls).toEqual([])
    const running = await host.call('hosting.start', { port: 0 })
    expect(running).toMatchObject({ state: 'running', error: null })
    expect((await host.call('hosting.stop')).state).toBe('stopped')
  })
})
