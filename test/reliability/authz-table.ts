// The authorization matrix: for every REST operation of the OpenAPI document
// and every client event of src/shared/protocol.ts, what each kind of caller
// may do. The suite fails naming any operation or event without a row here.
//
// Each cell runs against a fresh fixture (see authorization.test.ts): a group
// run by `groupAdmin` with `member`, from which `removed` was removed; a
// message by `member` in it ({memberSeq}); a join code; an invitation from
// `groupAdmin` to `member`; `groupAdmin` and `nonMember` as contacts; a public
// room run by `groupAdmin`; a call in the group started by `groupAdmin`.
// `extra` is a user who is none of the callers.

export const ROLES = ['anonymous', 'nonMember', 'removed', 'member', 'groupAdmin', 'serverAdmin'] as const
export type Role = (typeof ROLES)[number]

/** allow: a 2xx / ok ack; deny: 401 for anonymous, else 403 or 404 (forbidden / not_found); a number: exactly that status. */
export type Cell = 'allow' | 'deny' | number
export type Expect = Record<Role, Cell>

export interface HttpRow {
  /** With placeholders: {group} {groupB64} (its id in base64) {memberSeq} {member} {removed} {nonMember} {extra} {invitation} {room} {code} {file} {upload} {inviteCode} {userGroup} {scheduled} {webhook} {webhookToken} {bot} {botToken}. */
  path: string
  /** Also with placeholders, and {self} (the caller's id), {selfRefresh} (the caller's refresh token, the admin's for anonymous), {unique}. */
  body?: unknown
  /** Raw bytes instead of a JSON body (file uploads), with their headers. */
  bytes?: { data: string; headers: Record<string, string> }
  /** Request headers that carry the input (tus), with placeholders. */
  headers?: Record<string, string>
  /** From the server's root, not /api/v1. */
  root?: true
  expect: Expect
}

export interface EventRow {
  payload: unknown
  expect: Expect
}

// The server admin is in no conversation: a server admin manages accounts and
// settings, never reads or runs other people's chats, so in every
// conversation row it expects what nonMember does.
const row = (cells: Omit<Expect, 'serverAdmin'>): Expect => ({ ...cells, serverAdmin: cells.nonMember })

const anyone = row({ anonymous: 'allow', nonMember: 'allow', removed: 'allow', member: 'allow', groupAdmin: 'allow' })
const signedIn = row({ anonymous: 'deny', nonMember: 'allow', removed: 'allow', member: 'allow', groupAdmin: 'allow' })
const members = row({ anonymous: 'deny', nonMember: 'deny', removed: 'deny', member: 'allow', groupAdmin: 'allow' })
const admins = row({ anonymous: 'deny', nonMember: 'deny', removed: 'deny', member: 'deny', groupAdmin: 'allow' })
/** Only the server admin: accounts, invites, settings. */
const serverAdmins: Expect = { ...row({ anonymous: 'deny', nonMember: 'deny', removed: 'deny', member: 'deny', groupAdmin: 'deny' }), serverAdmin: 'allow' }
/** Only the member (the sender of {memberSeq}, the recipient of {invitation}). */
const memberOnly = row({ anonymous: 'deny', nonMember: 'deny', removed: 'deny', member: 'allow', groupAdmin: 'deny' })

const G = '/conversations/{group}'

/** The suites' servers serve GET /metrics to this token, which none of the callers sends. */
export const METRICS_TOKEN = 'matrix-metrics-token-0123456789'

/** The suites' servers: the fixture's call neither stops ringing nor loses its caller while a case runs. */
export const CALLS_KEPT = { callRingMs: 3_600_000, callRejoinGraceMs: 3_600_000 }

export const HTTP_ROWS: Record<string, HttpRow> = {
  'GET /health': { path: '/health', expect: anyone },
  'POST /auth/register': { path: '/auth/register', body: { username: '{unique}', password: 'correct horse battery' }, expect: anyone },
  'POST /auth/login': { path: '/auth/login', body: { username: '{adminName}', password: 'correct horse battery' }, expect: anyone },
  'POST /auth/refresh': { path: '/auth/refresh', body: { refreshToken: '{selfRefresh}' }, expect: anyone },
  'POST /auth/logout': { path: '/auth/logout', body: { refreshToken: '{selfRefresh}' }, expect: anyone },
  'GET /me': { path: '/me', expect: signedIn },
  'PATCH /me': { path: '/me', body: { statusText: 'here' }, expect: signedIn },
  'GET /users': { path: '/users?q=a', expect: signedIn },
  'POST /conversations': { path: '/conversations', body: { kind: 'group', title: 'new', memberIds: [] }, expect: signedIn },
  'GET /conversations': { path: '/conversations', expect: signedIn },
  'GET /conversations/{id}': { path: G, expect: members },
  'PATCH /conversations/{id}': { path: G, body: { title: 'renamed' }, expect: admins },
  'DELETE /conversations/{id}': { path: G, expect: admins },
  'GET /conversations/{id}/messages': { path: `${G}/messages`, expect: members },
  'POST /conversations/{id}/messages': { path: `${G}/messages`, body: { clientId: '{unique}', text: 'hello' }, expect: members },
  'POST /conversations/{id}/read': { path: `${G}/read`, body: { seq: 1 }, expect: members },
  // Issue 20 (i20-menu): mark unread from here.
  'POST /conversations/{id}/unread': { path: `${G}/unread`, body: { seq: '{memberSeq}' }, expect: members },
  'GET /conversations/{id}/messages/{seq}/receipts': { path: `${G}/messages/{memberSeq}/receipts`, expect: members },
  'POST /conversations/{id}/clear': { path: `${G}/clear`, expect: members },
  'PATCH /conversations/{id}/messages/{seq}': { path: `${G}/messages/{memberSeq}`, body: { text: 'edited' }, expect: memberOnly },
  'DELETE /conversations/{id}/messages/{seq}': { path: `${G}/messages/{memberSeq}`, expect: members },
  'POST /conversations/{id}/messages/{seq}/reactions': { path: `${G}/messages/{memberSeq}/reactions`, body: { emoji: '👍' }, expect: members },
  // Issue 21 (link previews): only the message's sender removes its preview.
  'DELETE /conversations/{id}/messages/{seq}/preview': { path: `${G}/messages/{memberSeq}/preview`, expect: memberOnly },
  // Issue 20 (pins): admins pin in groups; members read the pins. Saving needs a message the caller can read; the saved list is the caller's own.
  'GET /conversations/{id}/pins': { path: `${G}/pins`, expect: members },
  'PUT /conversations/{id}/pins/{seq}': { path: `${G}/pins/{memberSeq}`, expect: admins },
  'DELETE /conversations/{id}/pins/{seq}': { path: `${G}/pins/{memberSeq}`, expect: admins },
  'GET /saved': { path: '/saved', expect: signedIn },
  'PUT /saved/{conversationId}/{seq}': { path: '/saved/{group}/{memberSeq}', expect: members },
  'DELETE /saved/{conversationId}/{seq}': { path: '/saved/{group}/{memberSeq}', expect: signedIn },
  'GET /conversations/{id}/changes': { path: `${G}/changes?since=0`, expect: members },
  'POST /conversations/{id}/members': { path: `${G}/members`, body: { userIds: ['{extra}'] }, expect: admins },
  // A member may remove themselves (leave); only admins remove others.
  'DELETE /conversations/{id}/members/{userId}': { path: `${G}/members/{member}`, expect: { ...admins, member: 'allow' } },
  'PATCH /conversations/{id}/members/{userId}': { path: `${G}/members/{member}`, body: { role: 'admin' }, expect: admins },
  'GET /conversations/{id}/join-code': { path: `${G}/join-code`, expect: admins },
  'POST /conversations/{id}/join-code': { path: `${G}/join-code`, body: {}, expect: admins },
  'DELETE /conversations/{id}/join-code': { path: `${G}/join-code`, expect: admins },
  // A join code lets anyone signed in in, a removed member too.
  'POST /join': { path: '/join', body: { code: '{code}' }, expect: signedIn },
  'GET /rooms': { path: '/rooms', expect: signedIn },
  'POST /rooms': { path: '/rooms', body: { name: 'room{unique}' }, expect: signedIn },
  'POST /rooms/{id}/join': { path: '/rooms/{room}/join', expect: signedIn },
  'GET /search': { path: '/search?q=hello', expect: signedIn },
  // Drafts (i20-drafts): one's own, only in conversations one is a member of.
  'GET /drafts': { path: '/drafts', expect: signedIn },
  'PUT /drafts/{conversationId}': { path: '/drafts/{group}', body: { text: 'half a thought', updatedAt: '2026-01-01T00:00:00.000Z' }, expect: members },
  'DELETE /drafts/{conversationId}': { path: '/drafts/{group}', expect: members },
  // Notification preferences (issue 21, i21-attention): one's own (a conversation one is not in is dropped: notification-prefs.test.ts).
  'GET /me/notification-prefs': { path: '/me/notification-prefs', expect: signedIn },
  'PATCH /me/notification-prefs': { path: '/me/notification-prefs', body: { level: 'mentions', dndUntil: null }, expect: signedIn },
  // Scheduled messages (issue 21 item 4): the fixture's {scheduled} is member's, in the group; only its sender sees or changes it.
  'GET /scheduled': { path: '/scheduled', expect: signedIn },
  'PATCH /scheduled/{id}': { path: '/scheduled/{scheduled}', body: { text: 'later, edited' }, expect: memberOnly },
  'DELETE /scheduled/{id}': { path: '/scheduled/{scheduled}', expect: memberOnly },
  'POST /scheduled/{id}/send': { path: '/scheduled/{scheduled}/send', body: {}, expect: memberOnly },
  // The invite link's web page: anyone (it tells nothing beyond the code in its address).
  'GET /join/{code}': { path: '/join/{code}', root: true, expect: anyone },
  'POST /invitations': { path: '/invitations', body: { userId: '{extra}' }, expect: signedIn },
  'GET /invitations': { path: '/invitations', expect: signedIn },
  'POST /invitations/{id}/accept': { path: '/invitations/{invitation}/accept', body: {}, expect: memberOnly },
  'POST /invitations/{id}/decline': { path: '/invitations/{invitation}/decline', body: {}, expect: memberOnly },
  // Only the sender cancels.
  'DELETE /invitations/{id}': { path: '/invitations/{invitation}', expect: { ...memberOnly, member: 'deny', groupAdmin: 'allow' } },
  'GET /contacts': { path: '/contacts', expect: signedIn },
  // groupAdmin and nonMember are contacts: groupAdmin ends it; nobody else has that contact (nonMember is not its own).
  'DELETE /contacts/{userId}': { path: '/contacts/{nonMember}', expect: { ...admins, serverAdmin: 'deny' } },
  // Password resets work signed out: a wrong code is refused alike for everyone; the fixture's own code works for anyone holding it.
  'POST /auth/forgot-password': { path: '/auth/forgot-password', body: { username: '{spareName}' }, expect: anyone },
  'POST /auth/reset-password': { path: '/auth/reset-password', body: { username: '{spareName}', code: '{resetCode}', password: 'a brand new password' }, expect: anyone },
  'GET /server': { path: '/server', expect: anyone },
  'GET /admin/settings': { path: '/admin/settings', expect: serverAdmins },
  'PATCH /admin/settings': { path: '/admin/settings', body: { name: 'Matrix office' }, expect: serverAdmins },
  'GET /admin/users': { path: '/admin/users', expect: serverAdmins },
  'PATCH /admin/users/{id}': { path: '/admin/users/{extra}', body: { disabled: true }, expect: serverAdmins },
  'POST /admin/users/{id}/reset-password': { path: '/admin/users/{extra}/reset-password', expect: serverAdmins },
  'GET /admin/users/{id}/export': { path: '/admin/users/{extra}/export', expect: serverAdmins },
  'GET /admin/invites': { path: '/admin/invites', expect: serverAdmins },
  'POST /admin/invites': { path: '/admin/invites', body: {}, expect: serverAdmins },
  'DELETE /admin/invites/{code}': { path: '/admin/invites/{inviteCode}', expect: serverAdmins },
  // User groups (issue 20): everyone signed in lists them; server admins make and delete them; the fixture's {userGroup} is managed by groupAdmin.
  'GET /user-groups': { path: '/user-groups', expect: signedIn },
  'POST /user-groups': { path: '/user-groups', body: { handle: 'g{unique}', name: 'Design', memberIds: [] }, expect: serverAdmins },
  'PATCH /user-groups/{id}': { path: '/user-groups/{userGroup}', body: { name: 'Designers' }, expect: { ...admins, serverAdmin: 'allow' } },
  'DELETE /user-groups/{id}': { path: '/user-groups/{userGroup}', expect: serverAdmins },
  // Files belong to their conversation: members (not those removed) start uploads and read files; an upload is its uploader's alone.
  'POST /files': { path: '/files', body: { conversationId: '{group}', name: 'a.txt', size: 4 }, expect: members },
  'GET /uploads/{id}': { path: '/uploads/{upload}', expect: memberOnly },
  'PATCH /uploads/{id}': { path: '/uploads/{upload}', bytes: { data: 'abcd', headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } }, expect: memberOnly },
  'DELETE /uploads/{id}': { path: '/uploads/{upload}', expect: memberOnly },
  // tus: discovery is open to anyone; creation as POST /files, the offset as GET /uploads/{id}.
  'OPTIONS /uploads': { path: '/uploads', expect: anyone },
  'POST /uploads': {
    path: '/uploads',
    headers: { 'tus-resumable': '1.0.0', 'upload-length': '4', 'upload-metadata': 'conversationId {groupB64},filename YS50eHQ=' },
    expect: members
  },
  'HEAD /uploads/{id}': { path: '/uploads/{upload}', headers: { 'tus-resumable': '1.0.0' }, expect: memberOnly },
  'GET /files/{id}': { path: '/files/{file}', expect: members },
  'GET /files/{id}/preview': { path: '/files/{file}/preview', expect: members },
  // The suites' servers serve metrics; only the metrics token reads them: no one's access token does, a server admin's neither.
  'GET /metrics': { path: '/metrics', root: true, expect: { anonymous: 401, nonMember: 401, removed: 401, member: 401, groupAdmin: 401, serverAdmin: 401 } },
  // Threads (issue 20, item 3): {memberSeq} is a text message, so it can be a thread's root.
  'GET /conversations/{id}/threads/{seq}': { path: `${G}/threads/{memberSeq}`, expect: members },
  'PUT /conversations/{id}/threads/{seq}/follow': { path: `${G}/threads/{memberSeq}/follow`, body: { following: true }, expect: members },
  'POST /conversations/{id}/threads/{seq}/read': { path: `${G}/threads/{memberSeq}/read`, body: { seq: 1 }, expect: members },
  'GET /threads': { path: '/threads', expect: signedIn },
  // Issue 21 item 6: a group's webhooks are its admins'; the hook's URL needs no account (its token is the key); bots are the server admins'.
  'POST /conversations/{id}/webhooks': { path: `${G}/webhooks`, body: { name: 'CI' }, expect: admins },
  'GET /conversations/{id}/webhooks': { path: `${G}/webhooks`, expect: admins },
  'DELETE /conversations/{id}/webhooks/{webhookId}': { path: `${G}/webhooks/{webhook}`, expect: admins },
  'POST /hooks/{token}': { path: '/hooks/{webhookToken}', body: { text: 'build passed' }, expect: anyone },
  'GET /admin/bots': { path: '/admin/bots', expect: serverAdmins },
  'POST /admin/bots': { path: '/admin/bots', body: { username: 'b{unique}', displayName: 'Bot' }, expect: serverAdmins },
  'PATCH /admin/bots/{id}': { path: '/admin/bots/{bot}', body: { displayName: 'Bot 2' }, expect: serverAdmins },
  'DELETE /admin/bots/{id}': { path: '/admin/bots/{bot}', expect: serverAdmins },
  'POST /admin/bots/{id}/tokens': { path: '/admin/bots/{bot}/tokens', expect: serverAdmins },
  'DELETE /admin/bots/{id}/tokens/{tokenId}': { path: '/admin/bots/{bot}/tokens/{botToken}', expect: serverAdmins }
}

const conv = { conversationId: '{group}' }

/**
 * The rows the per-user send budgets limit (server/services/send-limits.ts):
 * past the budget they answer 429 / rate_limited with retryAfterMs, never 5xx,
 * never another code. The suites' servers raise the budgets (no case is
 * refused by them by accident); each suite runs these rows once more on a
 * server with tiny budgets.
 */
export const SEND_LIMITED = {
  http: ['POST /conversations/{id}/messages', 'PATCH /conversations/{id}/messages/{seq}', 'POST /conversations/{id}/messages/{seq}/reactions', 'POST /files', 'POST /uploads'],
  events: ['message:send', 'message:edit', 'message:react']
} as const

export const EVENT_ROWS: Record<string, EventRow> = {
  'message:send': { payload: { ...conv, clientId: '{unique}', text: 'hello' }, expect: members },
  'message:list': { payload: conv, expect: members },
  'conversation:list': { payload: {}, expect: signedIn },
  'message:edit': { payload: { ...conv, seq: '{memberSeq}', text: 'edited' }, expect: memberOnly },
  'message:delete': { payload: { ...conv, seq: '{memberSeq}' }, expect: members },
  'message:react': { payload: { ...conv, seq: '{memberSeq}', emoji: '👍' }, expect: members },
  'message:removePreview': { payload: { ...conv, seq: '{memberSeq}' }, expect: memberOnly },
  'message:changes': { payload: { ...conv, since: 0 }, expect: members },
  'receipt:read': { payload: { ...conv, seq: 1 }, expect: members },
  'receipt:unread': { payload: { ...conv, seq: '{memberSeq}' }, expect: members },
  'receipt:delivered': { payload: { ...conv, seq: 1 }, expect: members },
  'presence:set': { payload: { status: 'away' }, expect: signedIn },
  'presence:list': { payload: {}, expect: signedIn },
  'typing:start': { payload: conv, expect: members },
  'typing:stop': { payload: conv, expect: members },
  // The fixture's call in the group: started by groupAdmin as {callPeer} (its socket gone, the grace long), member ringing.
  'call:start': { payload: { ...conv, media: 'audio', peerId: '{newPeer}' }, expect: members },
  'call:join': { payload: { callId: '{call}', peerId: '{newPeer}' }, expect: members },
  'call:decline': { payload: { callId: '{call}' }, expect: members },
  // A peer is its user's own: only groupAdmin leaves as, or sets the media of, {callPeer}.
  'call:leave': { payload: { callId: '{call}', peerId: '{callPeer}' }, expect: admins },
  'call:media': { payload: { callId: '{call}', peerId: '{callPeer}', muted: true, camera: false, screen: false }, expect: admins },
  // Only the socket that joined as `from` signals, which the matrix's fresh socket never is, groupAdmin's neither
  // (test/integration/calls.test.ts relays between the windows of a call).
  'call:signal': {
    payload: { callId: '{call}', from: '{callPeer}', to: '{newPeer}', candidate: null },
    expect: row({ anonymous: 'deny', nonMember: 'deny', removed: 'deny', member: 'deny', groupAdmin: 'deny' })
  },
  'call:list': { payload: {}, expect: signedIn },
  // Threads (issue 20, item 3)
  'thread:get': { payload: { ...conv, rootSeq: '{memberSeq}' }, expect: members },
  'thread:list': { payload: {}, expect: signedIn },
  'thread:follow': { payload: { ...conv, rootSeq: '{memberSeq}', following: true }, expect: members },
  'thread:read': { payload: { ...conv, rootSeq: '{memberSeq}', seq: 1 }, expect: members },
  // Notification preferences (issue 21, i21-attention): one's own.
  'notification-prefs:get': { payload: {}, expect: signedIn },
  'notification-prefs:update': { payload: { sound: false }, expect: signedIn },
  // Scheduled messages (issue 21 item 4): the sender's own.
  'scheduled:list': { payload: {}, expect: signedIn },
  'scheduled:update': { payload: { id: '{scheduled}', text: 'later, edited' }, expect: memberOnly },
  'scheduled:cancel': { payload: { id: '{scheduled}' }, expect: memberOnly },
  'scheduled:send': { payload: { id: '{scheduled}' }, expect: memberOnly }
}
