// User groups (@design, issue 20) against a real server on each engine:
// server admins make and delete them, managers change their members, everyone
// signed in lists them and hears every change; a handle is unique among
// groups and usernames, in any case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserGroup } from '../../src/shared/schemas/user-groups'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collectWhere } from '../helpers/events'
import { connect, type ClientSocket } from '../helpers/socket'
import { expectError } from '../helpers/expect-error'

let srv: TestServer
let admin: TestUser
let bob: TestUser
let carol: TestUser
let dave: TestUser
const sockets: ClientSocket[] = []

const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })

let handles = 0
const newHandle = (): string => `team${++handles}-${process.pid}`

async function make(body: Record<string, unknown>): Promise<UserGroup> {
  const res = await as(admin, 'POST', '/user-groups', { handle: newHandle(), name: 'Design', memberIds: [], ...body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.userGroup as UserGroup
}

beforeAll(async () => {
  srv = await startServer()
  admin = await register(srv.url)
  bob = await register(srv.url)
  carol = await register(srv.url)
  dave = await register(srv.url)
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await srv.destroy()
})

describe('user groups', () => {
  it('are made by a server admin and listed to everyone signed in, by handle', async () => {
    const res = await as(admin, 'POST', '/user-groups', { handle: ' Design-X ', name: 'Design team', memberIds: [bob.user.id, carol.user.id, bob.user.id] })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const group = res.body.userGroup as UserGroup
    expect(group).toMatchObject({ handle: 'design-x', name: 'Design team', memberIds: [bob.user.id, carol.user.id], managerIds: [], createdBy: admin.user.id })
    const answer = (await as(dave, 'GET', '/user-groups')).body as { userGroups: UserGroup[]; people: { id: string; username: string }[] }
    const listed = answer.userGroups
    expect(listed.find((g) => g.id === group.id)).toEqual(group)
    // Dave never met Bob or Carol: the list names them.
    expect(answer.people.filter((p) => p.id === bob.user.id || p.id === carol.user.id).map((p) => p.username).sort()).toEqual(
      [bob.user.username, carol.user.username].sort()
    )
    expect(listed.map((g) => g.handle)).toEqual([...listed.map((g) => g.handle)].sort())
    expect((await api(srv.url, 'GET', '/user-groups')).status).toBe(401)
  })

  it('refuses a handle another group or any username has, in any case', async () => {
    const group = await make({})
    expectError(await as(admin, 'POST', '/user-groups', { handle: group.handle.toUpperCase(), name: 'Again', memberIds: [] }), 409, 'handle_taken')
    expectError(await as(admin, 'POST', '/user-groups', { handle: bob.user.username.toUpperCase(), name: 'Bob', memberIds: [] }), 409, 'handle_taken')
    const other = await make({})
    expectError(await as(admin, 'PATCH', `/user-groups/${other.id}`, { handle: group.handle }), 409, 'handle_taken')
    expectError(await as(admin, 'PATCH', `/user-groups/${other.id}`, { handle: carol.user.username }), 409, 'handle_taken')
    expect((await as(admin, 'PATCH', `/user-groups/${other.id}`, { handle: other.handle })).status).toBe(200)
    // Nothing changed by the refusals.
    const listed = (await as(admin, 'GET', '/user-groups')).body.userGroups as UserGroup[]
    expect(listed.filter((g) => g.handle === group.handle)).toHaveLength(1)
    expect(listed.find((g) => g.id === other.id)?.handle).toBe(other.handle)
  })

  it('keeps a username from being taken by sign-up once a group has it as handle', async () => {
    const group = await make({})
    const res = await api(srv.url, 'POST', '/auth/register', { body: { username: group.handle.toUpperCase(), password: 'correct horse battery' } })
    expectError(res, 409, 'username_taken')
  })

  it('takes only existing, enabled accounts as members and managers', async () => {
    const disabled = await register(srv.url)
    expect((await as(admin, 'PATCH', `/admin/users/${disabled.user.id}`, { disabled: true })).status).toBe(200)
    const unknown = '00000000-0000-4000-8000-000000000000'
    for (const memberIds of [[unknown], [bob.user.id, disabled.user.id]]) {
      const res = await as(admin, 'POST', '/user-groups', { handle: newHandle(), name: 'X', memberIds })
      expectError(res, 400, 'validation_failed')
      expect(res.body.error.message).toContain(memberIds.at(-1))
    }
    const group = await make({})
    expectError(await as(admin, 'PATCH', `/user-groups/${group.id}`, { managerIds: [unknown] }), 400, 'validation_failed')
  })

  it('let only server admins make and delete them, and admins or managers change them', async () => {
    expectError(await as(bob, 'POST', '/user-groups', { handle: newHandle(), name: 'Mine', memberIds: [] }), 403, 'forbidden')
    const group = await make({ memberIds: [carol.user.id], managerIds: [bob.user.id] })
    expectError(await as(bob, 'DELETE', `/user-groups/${group.id}`), 403, 'forbidden')
    expectError(await as(dave, 'PATCH', `/user-groups/${group.id}`, { memberIds: [dave.user.id] }), 403, 'forbidden')
    // A manager changes name and members, never the handle or who manages.
    const changed = await as(bob, 'PATCH', `/user-groups/${group.id}`, { name: 'Designers', memberIds: [carol.user.id, dave.user.id] })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(changed.body.userGroup).toMatchObject({ name: 'Designers', memberIds: [carol.user.id, dave.user.id], handle: group.handle })
    expectError(await as(bob, 'PATCH', `/user-groups/${group.id}`, { handle: newHandle() }), 403, 'forbidden')
    expectError(await as(bob, 'PATCH', `/user-groups/${group.id}`, { managerIds: [bob.user.id, dave.user.id] }), 403, 'forbidden')
    // The admin changes anything, and deletes.
    const renamed = await as(admin, 'PATCH', `/user-groups/${group.id}`, { handle: `${group.handle}x`, managerIds: [] })
    expect(renamed.body.userGroup).toMatchObject({ handle: `${group.handle}x`, managerIds: [] })
    expectError(await as(bob, 'PATCH', `/user-groups/${group.id}`, { name: 'Again' }), 403, 'forbidden')
    expect((await as(admin, 'DELETE', `/user-groups/${group.id}`)).status).toBe(204)
    expectError(await as(admin, 'DELETE', `/user-groups/${group.id}`), 404, 'not_found')
    expectError(await as(admin, 'PATCH', `/user-groups/${group.id}`, { name: 'Gone' }), 404, 'not_found')
    const listed = (await as(carol, 'GET', '/user-groups')).body.userGroups as UserGroup[]
    expect(listed.some((g) => g.id === group.id)).toBe(false)
  })

  it('tells every signed-in user what was made, changed and deleted', async () => {
    const socket = await connect(srv.url, dave.accessToken)
    sockets.push(socket)
    const handle = newHandle()
    const made = collectWhere(socket, 'user-groups:updated', 1, (p) => p.userGroup?.handle === handle)
    const res = await as(admin, 'POST', '/user-groups', { handle, name: 'Ops', memberIds: [bob.user.id] })
    const id = (res.body.userGroup as UserGroup).id
    expect((await made)[0]!.userGroup).toEqual(res.body.userGroup)
    const changed = collectWhere(socket, 'user-groups:updated', 1, (p) => p.userGroup?.id === id && p.userGroup.name === 'Operations')
    await as(admin, 'PATCH', `/user-groups/${id}`, { name: 'Operations' })
    expect((await changed)[0]!.userGroup?.memberIds).toEqual([bob.user.id])
    const removed = collectWhere(socket, 'user-groups:updated', 1, (p) => p.removedId === id)
    await as(admin, 'DELETE', `/user-groups/${id}`)
    expect(await removed).toEqual([{ removedId: id }])
  })

  it("a message mentioning a group notifies the group's members who are in the conversation, once, and no one else", async () => {
    const outsider = await register(srv.url)
    const group = await make({ memberIds: [bob.user.id, carol.user.id, outsider.user.id] })
    const chat = await as(admin, 'POST', '/conversations', { kind: 'group', title: 'Launch', memberIds: [bob.user.id, carol.user.id, dave.user.id] })
    const id = chat.body.conversation.id as string
    const sent = await as(admin, 'POST', `/conversations/${id}/messages`, {
      clientId: `ug-${group.handle}`,
      text: `@${group.handle} and @${bob.user.username}, please look`,
      mentions: [bob.user.id],
      mentionGroups: [group.id]
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect(sent.body.message.mentionGroups).toEqual([group.id])
    // The outsider is in the group but not the conversation; the sender is never notified by their own mention.
    expect([...(sent.body.message.mentioned as string[])].sort()).toEqual([bob.user.id, carol.user.id].sort())
    const mentionCount = async (user: TestUser): Promise<number> => (await as(user, 'GET', `/conversations/${id}`)).body.conversation.mentionCount as number
    expect(await mentionCount(bob)).toBe(1)
    expect(await mentionCount(carol)).toBe(1)
    expect(await mentionCount(dave)).toBe(0)
    expect(await mentionCount(admin)).toBe(0)
    // A deleted group mentions nobody any more: its id is dropped.
    await as(admin, 'DELETE', `/user-groups/${group.id}`)
    const later = await as(admin, 'POST', `/conversations/${id}/messages`, { clientId: `ug2-${group.handle}`, text: `@${group.handle} again`, mentionGroups: [group.id] })
    expect(later.body.message.mentionGroups).toBeUndefined()
    expect(await mentionCount(carol)).toBe(1)
  })

  it('answers a bad body with 400 naming the field', async () => {
    for (const body of [{ handle: 'here', name: 'X', memberIds: [] }, { handle: 'a', name: 'X', memberIds: [] }, { handle: 'ok-handle', name: '', memberIds: [] }, { handle: 'ok-handle2', name: 'X' }]) {
      expectError(await as(admin, 'POST', '/user-groups', body), 400, 'validation_failed')
    }
    const group = await make({})
    expectError(await as(admin, 'PATCH', `/user-groups/${group.id}`, {}), 400, 'validation_failed')
    expectError(await as(admin, 'PATCH', '/user-groups/not-an-id', { name: 'X' }), 400, 'validation_failed')
  })
})
