// The world one authorization (or fuzz) case runs in, built fresh through the
// API: a group with an admin, a member and a removed member, a message, a join
// code, an invitation, a contact pair and a public room.
import { randomUUID } from 'node:crypto'
import { api, register, uniqueName, type TestUser } from '../../helpers/http'
import type { Role } from '../authz-table'

export interface Fixture {
  users: Record<Exclude<Role, 'anonymous'> | 'extra', TestUser>
  /** Placeholder values: ids, seqs, codes. */
  values: Record<string, string | number>
}

async function ok<T = any>(res: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await res
  if (status >= 300) throw new Error(`fixture: ${what} answered ${status} ${JSON.stringify(body)}`)
  return body
}

export async function buildFixture(url: string): Promise<Fixture> {
  const [nonMember, removed, member, groupAdmin, serverAdmin, extra] = await Promise.all(
    Array.from({ length: 6 }, () => register(url, uniqueName('az')))
  )
  const users = { nonMember: nonMember!, removed: removed!, member: member!, groupAdmin: groupAdmin!, serverAdmin: serverAdmin!, extra: extra! }
  const as = (u: TestUser) => ({ token: u.accessToken })
  const admin = users.groupAdmin
  const created = await ok(
    api(url, 'POST', '/conversations', { ...as(admin), body: { kind: 'group', title: 'matrix', memberIds: [users.member.user.id, users.removed.user.id] } }),
    'create group'
  )
  const group = created.conversation.id as string
  await ok(api(url, 'DELETE', `/conversations/${group}/members/${users.removed.user.id}`, as(admin)), 'remove member')
  const sent = await ok(
    api(url, 'POST', `/conversations/${group}/messages`, { ...as(users.member), body: { clientId: randomUUID(), text: 'hello there' } }),
    'send'
  )
  const code = await ok(api(url, 'POST', `/conversations/${group}/join-code`, { ...as(admin), body: {} }), 'join code')
  const invitation = await ok(api(url, 'POST', '/invitations', { ...as(admin), body: { userId: users.member.user.id } }), 'invite')
  const theirs = await ok(api(url, 'POST', '/invitations', { ...as(users.nonMember), body: { userId: admin.user.id } }), 'invite back')
  await ok(api(url, 'POST', `/invitations/${theirs.invitation.id as string}/accept`, { ...as(admin), body: {} }), 'accept')
  const room = await ok(api(url, 'POST', '/rooms', { ...as(admin), body: { name: `room${randomUUID().slice(0, 8)}` } }), 'room')
  return {
    users,
    values: {
      group,
      memberSeq: sent.message.seq as number,
      code: code.joinCode.code as string,
      invitation: invitation.invitation.id as string,
      room: room.conversation.id as string,
      adminName: admin.user.username,
      ...Object.fromEntries(Object.entries(users).map(([role, u]) => [role, u.user.id]))
    }
  }
}

/**
 * Replaces {name} placeholders; a string that is exactly one placeholder takes
 * the value's own type (a seq stays a number).
 */
export function fill(value: unknown, values: Record<string, string | number>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value)?.[1]
    if (whole !== undefined && whole in values) return values[whole]
    return value.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all))
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]))
  }
  return value
}
