// User groups (issue 20) through the client core, as the window calls it: the
// list is cached, fetched at sign-in and every reconnect (changes made while
// offline arrive then), kept by the server's events, and served from the
// cache while the server cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserGroup } from '../../src/shared/schemas/user-groups'
import { signUp, startClient, startProxy, waitSynced, type TcpProxy, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let proxy: TcpProxy
const clients: TestClient[] = []

async function client(): Promise<TestClient> {
  const c = await startClient()
  clients.push(c)
  return c
}

const handles = (groups: UserGroup[]): string[] => groups.map((g) => g.handle)

beforeAll(async () => {
  srv = await startServer()
  proxy = await startProxy(srv.url)
})
afterAll(async () => {
  for (const c of clients) await c.destroy()
  await proxy.close()
  await srv.destroy()
})

describe('user groups in the client core', () => {
  it('are made by the admin, told to everyone signed in, cached, and caught up after a reconnect', async () => {
    const boss = await client()
    const { me: bossMe } = await signUp(boss, srv.url)
    expect(bossMe.serverAdmin).toBe(true)
    const dana = await client()
    const { me: danaMe } = await signUp(dana, proxy.url)
    expect(await dana.call('userGroups.list')).toEqual([])

    let since = dana.mark()
    const design = await boss.call('userGroups.create', { handle: 'design', name: 'Design', memberIds: [danaMe.id] })
    expect(design).toMatchObject({ handle: 'design', memberIds: [danaMe.id], createdBy: bossMe.id })
    // The maker's own list has it at once; others hear it.
    expect(handles(await boss.call('userGroups.list'))).toEqual(['design'])
    expect(handles(await dana.waitFor('userGroups', (list) => list.length === 1, undefined, since))).toEqual(['design'])
    expect(await dana.call('userGroups.list')).toEqual([design])
    expect((await dana.callError('userGroups.create', { handle: 'mine', name: 'Mine', memberIds: [] })).code).toBe('forbidden')
    expect((await dana.callError('userGroups.update', { userGroupId: design.id, patch: { name: 'Ours' } })).code).toBe('forbidden')

    // Offline: the cache still answers; what changed meanwhile comes with the reconnection.
    proxy.block()
    await dana.waitFor('connection', (c) => c.status !== 'online', undefined, since)
    const ops = await boss.call('userGroups.create', { handle: 'ops', name: 'Ops', memberIds: [bossMe.id], managerIds: [danaMe.id] })
    await boss.call('userGroups.delete', { userGroupId: design.id })
    expect(handles(await boss.call('userGroups.list'))).toEqual(['ops'])
    expect(await dana.call('userGroups.list')).toEqual([design])
    since = dana.mark()
    proxy.restore()
    await waitSynced(dana, since)
    expect(await dana.waitFor('userGroups', (list) => list.length === 1 && list[0]!.id === ops.id, undefined, since)).toEqual([ops])
    expect(await dana.call('userGroups.list')).toEqual([ops])
    // Dana never met the boss in a conversation: the group's list brought the name.
    expect((await dana.call('users.known')).map((u) => u.id)).toContain(bossMe.id)

    // A manager changes the members through the core; the admin's app hears it.
    since = boss.mark()
    const changed = await dana.call('userGroups.update', { userGroupId: ops.id, patch: { memberIds: [bossMe.id, danaMe.id] } })
    expect(changed.memberIds).toEqual([bossMe.id, danaMe.id])
    expect(await boss.waitFor('userGroups', (list) => list[0]?.memberIds.length === 2, undefined, since)).toEqual([changed])
    expect((await dana.callError('userGroups.update', { userGroupId: ops.id, patch: { handle: 'ops2' } })).code).toBe('forbidden')
  })

  it('keeps the list across a restart of the app', async () => {
    const boss = clients[0]!
    const dana = clients[1]!
    const before = await dana.call('userGroups.list')
    expect(before.length).toBe(1)
    await dana.close()
    proxy.block()
    const again = await startClient(dana.userDataDir)
    clients[1] = again
    expect(await again.call('userGroups.list')).toEqual(before)
    proxy.restore()
    await waitSynced(again)
    expect(handles(await boss.call('userGroups.list'))).toEqual(handles(before))
  })
})
