// Several accounts in one client core: every signed-in account stays
// connected, the window sees only the shown one's conversations, and the
// others tell their unread totals and new messages (for the switcher's badge
// and notifications). Signing out of one leaves the others signed in; the
// servers stay known after the last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { PASSWORD, readSecrets, signUp, startClient, waitSynced, type TestClient } from '../helpers/client'
import { api } from '../helpers/http'

let front: TestServer
let branch: TestServer
const clients: TestClient[] = []

async function client(...args: Parameters<typeof startClient>): Promise<TestClient> {
  const c = await startClient(...args)
  clients.push(c)
  return c
}

beforeAll(async () => {
  ;[front, branch] = await Promise.all([startServer({ name: 'Front office' }), startServer({ name: 'Branch office' })])
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await Promise.all([front.destroy(), branch.destroy()])
})

describe('several accounts', () => {
  it('keeps a background account connected: its unread total and messages come, its conversations stay out of the window', async () => {
    const me = await client()
    const onFront = await signUp(me, front.url)
    const onBranch = await signUp(me, branch.url)
    expect(onBranch.account.serverName).toBe('Branch office')
    const state = await me.call('session.get')
    expect(state).toMatchObject({ status: 'signed_in', account: { id: onBranch.account.id } })
    expect(state.accounts.map((a) => [a.id, a.serverName])).toEqual([
      [onBranch.account.id, 'Branch office'],
      [onFront.account.id, 'Front office']
    ])

    // Someone on the front office writes to the account in the background.
    const colleague = await client()
    await signUp(colleague, front.url)
    const since = me.mark()
    const opened = await colleague.call('conversations.openDirect', { userId: onFront.me.id })
    if (!('conversation' in opened)) throw new Error('openDirect answered with an invitation')
    const conversationId = opened.conversation.id
    await colleague.call('messages.send', { conversationId, text: 'Are you there?' })

    const unread = await me.waitFor('unread', (u) => u[onFront.account.id] === 1, 10_000, since)
    expect(unread[onBranch.account.id]).toBe(0)
    const announced = await me.waitFor('accountMessages', (m) => m.upserted.some((x) => x.text === 'Are you there?'), 10_000, since)
    expect(announced).toMatchObject({ accountId: onFront.account.id, muted: false, conversation: { id: conversationId } })
    expect(await me.call('session.unread')).toEqual({ [onFront.account.id]: 1, [onBranch.account.id]: 0 })
    // The window shows the branch account: none of the front office's events reach it.
    const leaked = me.events.slice(since).filter((e) => (e.type === 'conversations' && e.payload.upserted.some((c) => c.id === conversationId)) || (e.type === 'messages' && e.payload.conversationId === conversationId))
    expect(leaked).toEqual([])
    expect(await me.call('conversations.list')).toEqual([])

    // Switching shows the front office at once, from its open connection.
    const switched = me.mark()
    expect(await me.call('session.switchAccount', { accountId: onFront.account.id })).toMatchObject({ status: 'signed_in', account: { id: onFront.account.id } })
    await me.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId), 5_000, switched)
    expect(await me.call('connection.get')).toMatchObject({ status: 'online' })
    expect((await me.call('conversations.list')).map((c) => c.id)).toEqual([conversationId])
    // Now it is the shown one: its new messages go to the window, not to the background notices.
    const shown = me.mark()
    await colleague.call('messages.send', { conversationId, text: 'Hello again' })
    await me.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'Hello again'), 10_000, shown)
    expect(me.payloads('accountMessages').filter((m) => m.upserted.some((x) => x.text === 'Hello again'))).toEqual([])

    // A restart opens both again, the last shown one in front.
    await me.close()
    const again = await client(me.userDataDir)
    expect(await again.call('session.get')).toMatchObject({ status: 'signed_in', account: { id: onFront.account.id } })
    await waitSynced(again)
    expect(await again.call('session.unread')).toEqual({ [onFront.account.id]: 2, [onBranch.account.id]: 0 })
    // Before the first core's teardown removes the directory they share.
    await again.close()
  })

  it('signing out of one shows the next; signing out of the last leaves the servers known', async () => {
    const me = await client()
    const onFront = await signUp(me, front.url)
    const onBranch = await signUp(me, branch.url)

    const since = me.mark()
    const next = await me.call('session.logout')
    expect(next).toMatchObject({ status: 'signed_in', account: { id: onFront.account.id } })
    expect(next.accounts.map((a) => a.id)).toEqual([onFront.account.id])
    await me.waitFor('session', (s) => s.status === 'signed_in' && s.account.id === onFront.account.id, 5_000, since)
    expect(await me.call('session.unread')).toEqual({ [onFront.account.id]: 0 })
    // Still connected and working.
    expect(await me.call('profile.update', { statusText: 'here' })).toMatchObject({ statusText: 'here' })
    expect(await me.callError('session.switchAccount', { accountId: onBranch.account.id })).toMatchObject({ code: 'not_found' })

    expect(await me.call('session.logout')).toEqual({ status: 'signed_out', reason: 'logout', accounts: [] })
    // The latest signed in to first.
    expect(await me.call('session.knownServers')).toEqual([
      { serverUrl: branch.url, name: 'Branch office' },
      { serverUrl: front.url, name: 'Front office' }
    ])
    // Known after a restart too.
    await me.close()
    const again = await client(me.userDataDir)
    expect((await again.call('session.knownServers')).map((s) => s.name)).toEqual(['Branch office', 'Front office'])
  })

  it('a sign-in the server ends closes that account alone: in the background it just goes; shown, the next account is shown', async () => {
    const me = await client()
    const onFront = await signUp(me, front.url)
    const onBranch = await signUp(me, branch.url)
    const secrets = await readSecrets(me.userDataDir)
    const endSignIn = async (serverUrl: string, accountId: string): Promise<void> => {
      const logout = await api(serverUrl, 'POST', '/auth/logout', { body: { refreshToken: secrets[`refresh:${accountId}`] } })
      expect(logout.status).toBe(204)
    }

    // The front office (in the background) is signed out elsewhere: the branch stays shown.
    let since = me.mark()
    await endSignIn(front.url, onFront.account.id)
    await me.waitFor('unread', (u) => !(onFront.account.id in u), 10_000, since)
    expect(await me.call('session.get')).toMatchObject({ status: 'signed_in', account: { id: onBranch.account.id } })
    // Nothing switched: a session event now can only restate the branch (its profile, fetched after its
    // sign-in, may land after the mark), never show another account or the signed-out screen.
    const shown = me.events.slice(since).flatMap((e) => (e.type === 'session' ? [e.payload.status === 'signed_in' ? e.payload.account.id : e.payload.status] : []))
    expect(shown.filter((id) => id !== onBranch.account.id)).toEqual([])
    // Still listed, to sign in again there.
    expect((await me.call('session.get')).accounts.map((a) => a.id)).toContain(onFront.account.id)
    expect(await me.callError('session.switchAccount', { accountId: onFront.account.id })).toMatchObject({ code: 'unauthorized' })

    // Signed in again there, then the shown one (the front office) is signed out elsewhere: the branch is shown.
    await me.call('session.login', { serverUrl: front.url, username: onFront.me.username, password: PASSWORD })
    const again = (await readSecrets(me.userDataDir))[`refresh:${onFront.account.id}`]
    since = me.mark()
    const logout = await api(front.url, 'POST', '/auth/logout', { body: { refreshToken: again } })
    expect(logout.status).toBe(204)
    expect(await me.waitFor('session', (s) => s.status === 'signed_in' && s.account.id === onBranch.account.id, 10_000, since)).toBeTruthy()
    expect((await me.call('conversations.list')).length).toBe(0)
    expect(await me.call('connection.get')).toMatchObject({ status: 'online' })
  })

  it('two accounts on one server: each its own connection; one writes to the other, which counts it in the background', async () => {
    const me = await client()
    const ann = await signUp(me, front.url)
    const ops = await signUp(me, front.url)
    expect(ann.account.id).not.toBe(ops.account.id)
    const opened = await me.call('conversations.openDirect', { userId: ann.me.id })
    if (!('conversation' in opened)) throw new Error('openDirect answered with an invitation')
    const since = me.mark()
    await me.call('messages.send', { conversationId: opened.conversation.id, text: 'from ops to ann' })
    // ops (shown) has its own message; ann, in the background, counts it unread.
    await me.waitFor('unread', (u) => u[ann.account.id] === 1 && u[ops.account.id] === 0, 10_000, since)
    await me.call('session.switchAccount', { accountId: ann.account.id })
    const list = await me.call('conversations.list')
    expect(list).toMatchObject([{ id: opened.conversation.id, unreadCount: 1, lastMessage: { text: 'from ops to ann' } }])
  })
})
