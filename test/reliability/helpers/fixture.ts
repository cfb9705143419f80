// The world one authorization (or fuzz) case runs in, built fresh through the
// API: a group with an admin, a member and a removed member, a message, a join
// code, an invitation, a contact pair, a public room, a call in the group
// started by the admin (whose socket then closed), a server admin (made one
// by `root`, the server's first account), a finished image file and an
// unfinished upload by the member in the group, a password reset code for
// `spare` and a sign-up invite code.
import { randomUUID } from 'node:crypto'
import type { CallJoined } from '../../../src/shared/schemas/calls'
import { api, register, uniqueName, type TestUser } from '../../helpers/http'
import { connect, emitAck } from '../../helpers/socket'
import type { Role } from '../authz-table'

export interface Fixture {
  users: Record<Exclude<Role, 'anonymous'> | 'extra' | 'spare', TestUser>
  /** Placeholder values: ids, seqs, codes. */
  values: Record<string, string | number>
}

async function ok<T = any>(res: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await res
  if (status >= 300) throw new Error(`fixture: ${what} answered ${status} ${JSON.stringify(body)}`)
  return body
}

/** A 1×1 PNG: a file the server previews. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

/** The server's first account, and so its admin: call once per server, before anyone else registers. */
export function registerRoot(url: string): Promise<TestUser> {
  return register(url, uniqueName('root'))
}

export async function buildFixture(url: string, root: TestUser): Promise<Fixture> {
  const as = (u: TestUser) => ({ token: u.accessToken })
  // Whatever a fuzz case did to the settings, sign-up stays open for the next fixture.
  await ok(api(url, 'PATCH', '/admin/settings', { ...as(root), body: { registration: 'open' } }), 'open sign-up')
  const [nonMember, removed, member, groupAdmin, serverAdmin, extra, spare] = await Promise.all(
    Array.from({ length: 7 }, () => register(url, uniqueName('az')))
  )
  const users = { nonMember: nonMember!, removed: removed!, member: member!, groupAdmin: groupAdmin!, serverAdmin: serverAdmin!, extra: extra!, spare: spare! }
  await ok(api(url, 'PATCH', `/admin/users/${users.serverAdmin.user.id}`, { ...as(root), body: { serverAdmin: true } }), 'make server admin')
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
  // Issue 21: a message member scheduled in the group, an hour ahead.
  const later = await ok(
    api(url, 'POST', `/conversations/${group}/messages`, {
      ...as(users.member),
      body: { clientId: randomUUID(), text: 'later', sendAt: new Date(Date.now() + 3600_000).toISOString() }
    }),
    'schedule'
  )
  const code = await ok(api(url, 'POST', `/conversations/${group}/join-code`, { ...as(admin), body: {} }), 'join code')
  const invitation = await ok(api(url, 'POST', '/invitations', { ...as(admin), body: { userId: users.member.user.id } }), 'invite')
  const theirs = await ok(api(url, 'POST', '/invitations', { ...as(users.nonMember), body: { userId: admin.user.id } }), 'invite back')
  await ok(api(url, 'POST', `/invitations/${theirs.invitation.id as string}/accept`, { ...as(admin), body: {} }), 'accept')
  const room = await ok(api(url, 'POST', '/rooms', { ...as(admin), body: { name: `room${randomUUID().slice(0, 8)}` } }), 'room')
  const upload = (name: string, size: number, type?: string) =>
    ok(api(url, 'POST', '/files', { ...as(users.member), body: { conversationId: group, name, size, ...(type ? { type } : {}) } }), 'upload')
  const image = await upload('dot.png', PNG.length, 'image/png')
  await ok(
    api(url, 'PATCH', `/uploads/${image.upload.id as string}`, {
      ...as(users.member),
      bytes: PNG,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }
    }),
    'upload bytes'
  )
  const unfinished = await upload('notes.txt', 4)
  // The suites' servers keep a window that left in its call for long: the call runs through the case.
  const callPeer = randomUUID()
  const socket = await connect(url, admin.accessToken)
  const started = await emitAck<CallJoined>(socket, 'call:start', { conversationId: group, media: 'audio', peerId: callPeer }).finally(() => socket.close())
  if (!started.ok) throw new Error(`fixture: call:start answered ${JSON.stringify(started.error)}`)
  const reset = await ok(api(url, 'POST', `/admin/users/${users.spare.user.id}/reset-password`, as(root)), 'reset code')
  const invite = await ok(api(url, 'POST', '/admin/invites', { ...as(root), body: {} }), 'invite code')
  const userGroup = await ok(
    api(url, 'POST', '/user-groups', { ...as(root), body: { handle: `ug${randomUUID().slice(0, 8)}`, name: 'Matrix', memberIds: [users.member.user.id], managerIds: [admin.user.id] } }),
    'user group'
  )
  // Issue 21: a webhook of the group (groupAdmin's), and a bot in it with a token (root's).
  const webhook = await ok(api(url, 'POST', `/conversations/${group}/webhooks`, { ...as(admin), body: { name: 'CI' } }), 'webhook')
  const bot = await ok(
    api(url, 'POST', '/admin/bots', { ...as(root), body: { username: uniqueName('bot'), displayName: 'Matrix bot', conversationIds: [group] } }),
    'bot'
  )
  const botToken = await ok(api(url, 'POST', `/admin/bots/${bot.bot.user.id as string}/tokens`, as(root)), 'bot token')
  return {
    users,
    values: {
      group,
      groupB64: Buffer.from(group).toString('base64'),
      memberSeq: sent.message.seq as number,
      code: code.joinCode.code as string,
      invitation: invitation.invitation.id as string,
      room: room.conversation.id as string,
      adminName: admin.user.username,
      spareName: users.spare.user.username,
      file: image.upload.id as string,
      upload: unfinished.upload.id as string,
      resetCode: reset.code as string,
      inviteCode: invite.invite.code as string,
      userGroup: userGroup.userGroup.id as string,
      scheduled: later.scheduled.id as string,
      call: started.data.call.id,
      callPeer,
      newPeer: randomUUID(),
      webhook: webhook.webhook.id as string,
      webhookToken: webhook.webhook.token as string,
      bot: bot.bot.user.id as string,
      botToken: botToken.token.id as string,
      botSecret: botToken.secret as string,
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
