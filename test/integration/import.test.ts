// `messenger-server import` and `messenger-server migrate`: a data directory
// made by a real server (forced onto the data-dir engine) is moved into an
// empty PostgreSQL database; afterwards both engines answer the same for every
// conversation and every user, through the store (every page, every changes
// page, versions, floors, last messages, members, sessions, contacts, codes,
// file records) and through a server started on the database (pages, changes,
// receipts, search, sign-in with an old password, refresh with an old token,
// the file downloaded from the same directory). Also: the real CLI, a
// non-empty database refused, a running server refused, migrate twice, and
// unreachable databases named without their password.
//
// It runs once, in the data-dir project (it is about both engines); without
// MESSENGER_TEST_DATABASE_URL outside CI it is skipped with one line.
import { MIGRATIONS } from '../../server/store/postgres/migrations'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { runImportCommand, runMigrateCommand } from '../../server/db-cli'
import { openFileStore } from '../../server/store'
import { openPostgresStore } from '../../server/store/postgres'
import type { DbData } from '../../server/store/records'
import type { Store } from '../../server/store/types'
import { databaseRows, freshDatabase, noteSkipped, postgresPlan, testEngine, type FreshDatabase } from '../helpers/engines'
import { createUpload, download, sendBytes, sha256, waitFor } from '../helpers/files'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect, emitAck } from '../helpers/socket'

const ROOT = resolve(import.meta.dirname, '../..')
const DAY = 24 * 3600 * 1000
const plan = postgresPlan()
if (plan === 'skip') noteSkipped()

let skew = 0
const clock = (): number => Date.now() + skew

let dataDir: string
let source: TestServer
let admin: TestUser, alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser
let users: TestUser[]
let oldChat: string, goneChat: string, direct: string, group: string, room: string
let fileBytes: Buffer
let keptFileId: string
let target: FreshDatabase
let before: Snapshot
let importOutput = ''
const databases: FreshDatabase[] = []

const as = (url: string, user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })

async function ok(res: Promise<ApiResponse>, status = [200, 201]): Promise<any> {
  const r = await res
  if (!status.includes(r.status)) throw new Error(`${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

async function send(user: TestUser, conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  return (await ok(as(source.url, user, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), text, ...extra }))).message as Message
}

/** `n` messages from `senders` in turn, `parallel` at a time. */
async function sendMany(conversationId: string, senders: TestUser[], n: number, label: string, parallel = 25): Promise<Message[]> {
  const out: Message[] = []
  for (let start = 0; start < n; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, n - start) }, (_, i) => start + i)
    out.push(...(await Promise.all(batch.map((i) => send(senders[i % senders.length]!, conversationId, `${label} ${i}${i % 97 === 0 ? ' pineapple' : ''}`)))))
  }
  return out.sort((a, b) => a.seq - b.seq)
}

function captured(): { io: { out: (t: string) => void; err: (t: string) => void }; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return { io: { out: (t) => (out += t), err: (t) => (err += t) }, out: () => out, err: () => err }
}

/** The same URL with another password or port. */
function variant(url: string, change: (u: URL) => void): string {
  const u = new URL(url)
  change(u)
  return u.toString()
}

/** Every page of a conversation, both ways, at two page sizes, above a reader's floor. */
async function allPages(store: Store, id: string, floor: number): Promise<unknown[]> {
  const out: unknown[] = []
  for (const limit of [37, 200]) {
    let q: { before?: number; limit: number } = { limit }
    for (;;) {
      const page = await store.messages.page(id, q, floor)
      out.push(page)
      if (!page.hasMore || page.messages.length === 0) break
      q = { before: page.messages[0]!.seq, limit }
    }
    for (const start of [0, Math.max(0, (await store.messages.expiredSeq(id)) - 1)]) {
      let after = start
      for (;;) {
        const page = await store.messages.page(id, { after, limit }, floor)
        out.push(page)
        if (!page.hasMore || page.messages.length === 0) break
        after = page.messages.at(-1)!.seq
      }
    }
  }
  return out
}

/** Every changes page from version 0, at two sizes, above a reader's floor. */
async function allChanges(store: Store, id: string, floor: number): Promise<unknown[]> {
  const out: unknown[] = []
  for (const limit of [7, 1000]) {
    let since = 0
    for (;;) {
      const page = await store.messages.changes(id, since, limit, floor)
      out.push(page)
      if (!page.hasMore) break
      since = page.version
    }
  }
  return out
}

/**
 * Asks both stores everything the repositories answer and expects the same:
 * the import is exact when nothing tells the engines apart.
 */
async function compareStores(file: Store, pg: Store, dir: string): Promise<{ messages: number }> {
  const doc = JSON.parse(await readFile(join(dir, 'db.json'), 'utf8')) as DbData
  expect(await pg.users.all()).toEqual(await file.users.all())
  expect(await pg.users.count()).toBe(await file.users.count())
  const userIds = (await file.users.all()).map((u) => u.id)
  const ids = await file.conversations.allIds()
  expect(await pg.conversations.allIds()).toEqual(ids)
  let messages = 0
  for (const id of ids) {
    const conversation = await file.conversations.byId(id)
    expect(await pg.conversations.byId(id)).toEqual(conversation)
    const members = await file.conversations.members(id)
    expect(await pg.conversations.members(id)).toEqual(members)
    for (const m of members) expect(await pg.conversations.membership(id, m.userId)).toEqual(m)
    if (conversation?.directKey) expect(await pg.conversations.byDirectKey(conversation.directKey)).toEqual(conversation)
    if (conversation?.joinCode) expect(await pg.conversations.byJoinCode(conversation.joinCode.code)).toEqual(conversation)
    if (conversation?.kind === 'room') expect(await pg.conversations.byRoomName(conversation.title!.toUpperCase())).toEqual(conversation)
    expect(await pg.messages.version(id)).toBe(await file.messages.version(id))
    expect(await pg.messages.expiredSeq(id)).toBe(await file.messages.expiredSeq(id))
    expect(await pg.messages.last(id)).toEqual(await file.messages.last(id))
    const floors = [...new Set([0, ...members.map((m) => m.clearedSeq ?? 0)])]
    for (const floor of floors) {
      expect(await allPages(pg, id, floor)).toEqual(await allPages(file, id, floor))
      expect(await allChanges(pg, id, floor)).toEqual(await allChanges(file, id, floor))
    }
    messages += (await file.messages.last(id))?.seq ?? 0
    expect(await pg.pins.list(id)).toEqual(await file.pins.list(id))
  }
  expect(await pg.conversations.rooms()).toEqual(await file.conversations.rooms())
  for (const userId of userIds) {
    expect(await pg.conversations.forUser(userId)).toEqual(await file.conversations.forUser(userId))
    expect(await pg.contacts.contactsOf(userId)).toEqual(await file.contacts.contactsOf(userId))
    expect(await pg.contacts.pendingInvitations(userId)).toEqual(await file.contacts.pendingInvitations(userId))
    expect(await pg.admin.resetCode(userId)).toEqual(await file.admin.resetCode(userId))
    expect(await pg.files.usage(userId)).toBe(await file.files.usage(userId))
    expect(await pg.saved.list(userId)).toEqual(await file.saved.list(userId))
    expect(await pg.scheduled.forUser(userId)).toEqual(await file.scheduled.forUser(userId))
    expect(await pg.notificationPrefs.get(userId)).toEqual(await file.notificationPrefs.get(userId))
    for (const other of userIds) {
      expect(await pg.contacts.contact(userId, other)).toEqual(await file.contacts.contact(userId, other))
      expect(await pg.contacts.latestInvitation(userId, other)).toEqual(await file.contacts.latestInvitation(userId, other))
    }
    // Search: the same messages in the same order (newest first), cleared history left out.
    const scope: Record<string, number> = {}
    for (const c of await file.conversations.forUser(userId)) scope[c.id] = (await file.conversations.membership(c.id, userId))?.clearedSeq ?? 0
    const hits = async (store: Store) => (await store.search?.search(scope, ['pineapple'], Number.MAX_SAFE_INTEGER, 1000))?.map((h) => [h.conversationId, h.seq])
    if (file.search) expect(await hits(pg)).toEqual(await hits(file))
  }
  // Threads: the same replies, follows and read positions.
  for (const thread of Object.values(doc.threads ?? {})) {
    expect(await pg.threads.replies(thread.conversationId, thread.rootSeq)).toEqual(await file.threads.replies(thread.conversationId, thread.rootSeq))
    const byUser = (list: { userId: string }[]) => [...list].sort((a, b) => a.userId.localeCompare(b.userId))
    expect(byUser(await pg.threads.follows(thread.conversationId, thread.rootSeq))).toEqual(byUser(await file.threads.follows(thread.conversationId, thread.rootSeq)))
  }
  expect(Object.keys(doc.threads ?? {}).length).toBeGreaterThan(0)
  const byThread = (list: { conversationId: string; rootSeq: number }[]) => [...list].sort((a, b) => a.conversationId.localeCompare(b.conversationId) || a.rootSeq - b.rootSeq)
  for (const userId of userIds) expect(byThread(await pg.threads.followedBy(userId))).toEqual(byThread(await file.threads.followedBy(userId)))
  for (const family of Object.values(doc.refreshFamilies)) {
    expect(await pg.tokens.familyById(family.id)).toEqual(await file.tokens.familyById(family.id))
    for (const token of family.tokens) expect((await pg.tokens.familyByTokenHash(token.hash))?.id).toBe(family.id)
  }
  expect(Object.keys(doc.refreshFamilies).length).toBeGreaterThan(0)
  for (const invitation of Object.values(doc.invitations)) expect(await pg.contacts.invitation(invitation.id)).toEqual(invitation)
  expect(await pg.admin.settings()).toEqual(await file.admin.settings())
  expect(await pg.admin.invites()).toEqual(await file.admin.invites())
  expect((await file.userGroups.all()).length).toBe(2)
  expect(await pg.userGroups.all()).toEqual(await file.userGroups.all())
  // Issue 21: webhooks (by conversation and by token hash), bots and their live tokens.
  const hooks = Object.values(doc.webhooks ?? {})
  expect(hooks.length).toBe(1)
  for (const hook of hooks) {
    expect(await pg.webhooks.forConversation(hook.conversationId)).toEqual(await file.webhooks.forConversation(hook.conversationId))
    expect(await pg.webhooks.byTokenHash(hook.tokenHash)).toEqual(hook)
  }
  expect((await file.bots.all()).length).toBe(1)
  expect(await pg.bots.all()).toEqual(await file.bots.all())
  for (const bot of await file.bots.all()) {
    const tokens = await file.bots.tokens(bot.userId)
    expect(tokens.length).toBe(1)
    expect(await pg.bots.tokens(bot.userId)).toEqual(tokens)
    for (const token of tokens) expect(await pg.bots.tokenByHash(token.hash)).toEqual(token)
  }
  for (const invite of await file.admin.invites()) expect(await pg.admin.invite(invite.code)).toEqual(invite)
  const fileIds = (await readdir(join(dir, 'files'))).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5))
  expect(fileIds.length).toBeGreaterThan(0)
  for (const fileId of fileIds) expect(await pg.files.get(fileId)).toEqual(await file.files.get(fileId))
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)
  expect((await pg.files.incomplete()).sort(byId)).toEqual((await file.files.incomplete()).sort(byId))
  return { messages }
}

/** Opens the data directory and the database side by side and compares them. */
async function compareWith(databaseUrl: string, dir = dataDir): Promise<{ messages: number }> {
  const file = await openFileStore(dir)
  const pg = await openPostgresStore(databaseUrl)
  try {
    return await compareStores(file, pg, dir)
  } finally {
    await pg.close()
    await file.close()
  }
}

interface Snapshot {
  [key: string]: unknown
}

/** What every user sees through the REST API: conversations, every page, changes, receipts, contacts, search. */
async function snapshot(url: string): Promise<Snapshot> {
  const out: Snapshot = {}
  const get = async (user: TestUser, path: string): Promise<unknown> => {
    const res = await as(url, user, 'GET', path)
    out[`${user.user.username} ${path}`] = { status: res.status, body: res.body }
    return res.body
  }
  for (const user of users) {
    await get(user, '/me')
    await get(user, '/contacts')
    await get(user, '/invitations')
    await get(user, '/rooms')
    await get(user, '/users?q=user')
    const { conversations } = (await get(user, '/conversations')) as { conversations: { id: string; lastSeq: number }[] }
    for (const c of conversations) {
      await get(user, `/conversations/${c.id}`)
      let page = (await get(user, `/conversations/${c.id}/messages?limit=200`)) as { messages: Message[]; hasMore: boolean }
      while (page.hasMore) page = (await get(user, `/conversations/${c.id}/messages?limit=200&before=${page.messages[0]!.seq}`)) as typeof page
      let after = 0
      for (;;) {
        const next = (await get(user, `/conversations/${c.id}/messages?limit=200&after=${after}`)) as { messages: Message[]; hasMore: boolean }
        if (!next.hasMore || next.messages.length === 0) break
        after = next.messages.at(-1)!.seq
      }
      let since = 0
      for (;;) {
        const changes = (await get(user, `/conversations/${c.id}/changes?since=${since}&limit=50`)) as { version: number; hasMore: boolean }
        if (!changes.hasMore) break
        since = changes.version
      }
      for (const seq of new Set([1, 2, 3, 4, 5, 50, 500, c.lastSeq - 2, c.lastSeq - 1, c.lastSeq].filter((s) => s >= 1 && s <= c.lastSeq))) {
        await get(user, `/conversations/${c.id}/messages/${seq}/receipts`)
      }
    }
    let cursor: string | null = ''
    while (cursor !== null) {
      const res = (await get(user, `/search?q=pineapple${cursor ? `&before=${cursor}` : ''}`)) as { results: unknown[]; nextBefore: string | null }
      cursor = res.nextBefore
    }
  }
  await get(admin, '/admin/settings')
  await get(admin, '/admin/invites')
  await get(admin, '/user-groups')
  await get(admin, '/admin/users')
  await get(alice, `/conversations/${group}/join-code`)
  return out
}

const suite = describe.skipIf(plan === 'skip' || testEngine() === 'postgres')

suite('messenger-server import', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    target = await freshDatabase('import target')
    databases.push(target)
    // The source is a data directory, whatever the project's engine.
    source = await startServer({ clock, databaseUrl: undefined })
    dataDir = source.dataDir
    expect(source.databaseUrl).toBeNull()
    admin = await register(source.url)
    expect(existsSync(join(dataDir, 'db.json'))).toBe(true)
    ;[alice, bob, carol, dave] = await Promise.all([register(source.url), register(source.url), register(source.url), register(source.url)])
    users = [admin, alice, bob, carol, dave]
    const u = source.url

    // Ten days ago: a chat whose first messages retention will delete.
    oldChat = (await ok(as(u, admin, 'POST', '/conversations', { kind: 'direct', userId: carol.user.id }))).conversation.id
    await send(admin, oldChat, 'ancient one pineapple')
    const ancient = await send(carol, oldChat, 'ancient two')
    const third = await send(carol, oldChat, 'ancient three')
    await ok(as(u, carol, 'PATCH', `/conversations/${oldChat}/messages/${ancient.seq}`, { text: 'ancient two, edited' }))
    await ok(as(u, admin, 'POST', `/conversations/${oldChat}/messages/${third.seq}/reactions`, { emoji: '👍' }))
    // And one whose whole history will go.
    goneChat = (await ok(as(u, admin, 'POST', '/conversations', { kind: 'direct', userId: dave.user.id }))).conversation.id
    await send(dave, goneChat, 'ancient, all of it')
    const all = await send(admin, goneChat, 'ancient, every word')
    await ok(as(u, dave, 'POST', `/conversations/${goneChat}/messages/${all.seq}/reactions`, { emoji: '👍' }))
    skew = 10 * DAY
    await send(admin, oldChat, 'fresh one pineapple')
    const fresh = await send(carol, oldChat, 'fresh two')
    await ok(as(u, admin, 'POST', `/conversations/${oldChat}/messages/${fresh.seq}/reactions`, { emoji: '🎉' }))
    await ok(as(u, admin, 'PATCH', '/admin/settings', { retentionDays: 5, name: 'Import Office' }))
    await waitFor(async () => (await as(u, admin, 'GET', `/conversations/${oldChat}`)).body.conversation.expiredSeq === 3)
    await waitFor(async () => (await as(u, admin, 'GET', `/conversations/${goneChat}`)).body.conversation.expiredSeq === 2)
    await ok(as(u, admin, 'PATCH', '/admin/settings', { retentionDays: null }))

    // Codes: a sign-up invite and a password reset.
    await ok(as(u, admin, 'POST', '/admin/invites', { maxUses: 3 }))
    // User groups (issue 20): one as made, one changed after.
    const ug = await ok(as(u, admin, 'POST', '/user-groups', { handle: 'import-design', name: 'Design', memberIds: [carol.user.id], managerIds: [admin.user.id] }))
    await ok(as(u, admin, 'POST', '/user-groups', { handle: 'import-ops', name: 'Ops', memberIds: [] }))
    await ok(as(u, admin, 'PATCH', `/user-groups/${ug.userGroup.id as string}`, { memberIds: [carol.user.id, admin.user.id] }))
    // Issue 21: a group's webhook that posted, a bot in it with a live token and a revoked one.
    const hooks = (await ok(as(u, admin, 'POST', '/conversations', { kind: 'group', title: 'Hooks', memberIds: [carol.user.id] }))).conversation.id as string
    const hook = await ok(as(u, admin, 'POST', `/conversations/${hooks}/webhooks`, { name: 'CI' }))
    await ok(api(u, 'POST', `/hooks/${hook.webhook.token as string}`, { body: { text: 'build passed', username: 'Jenkins' } }))
    const bot = await ok(as(u, admin, 'POST', '/admin/bots', { username: 'import-bot', displayName: 'Printer', conversationIds: [hooks] }))
    await ok(as(u, admin, 'POST', `/admin/bots/${bot.bot.user.id as string}/tokens`, {}))
    const revoked = await ok(as(u, admin, 'POST', `/admin/bots/${bot.bot.user.id as string}/tokens`, {}))
    await api(u, 'DELETE', `/admin/bots/${bot.bot.user.id as string}/tokens/${revoked.token.id as string}`, { token: admin.accessToken })
    await ok(as(u, admin, 'POST', `/admin/users/${dave.user.id}/reset-password`, {}))
    dave = { ...dave, ...(await ok(api(u, 'POST', '/auth/login', { body: { username: dave.user.username, password: dave.password } }))) }
    users[4] = dave

    // Contacts: one accepted, one pending.
    const invited = await ok(as(u, alice, 'POST', '/invitations', { userId: carol.user.id, message: 'hello from alice' }))
    await ok(as(u, carol, 'POST', `/invitations/${invited.invitation.id}/accept`, {}))
    await ok(as(u, alice, 'POST', '/invitations', { userId: dave.user.id }))

    // A direct chat with a few thousand messages, replies, edits, reactions, deletions and files.
    direct = (await ok(as(u, alice, 'POST', '/conversations', { kind: 'direct', userId: bob.user.id }))).conversation.id
    const sent = await sendMany(direct, [alice, bob], 2600, 'direct')
    for (let i = 0; i < 2600; i += 53) await send(bob, direct, `reply to ${sent[i]!.seq}`, { replyTo: sent[i]!.seq })
    // A thread (issue 20): replies, a mention, a read position and an unfollow.
    for (const [who, text] of [[bob, 'in the thread'], [alice, 'and again'], [bob, 'once more']] as const) {
      await send(who, direct, text, { threadRoot: sent[7]!.seq, mentions: [alice.user.id] })
    }
    await ok(as(u, alice, 'POST', `/conversations/${direct}/threads/${sent[7]!.seq}/read`, { seq: sent[7]!.seq + 1 }))
    for (let i = 0; i < 2600; i += 71) {
      const m = sent[i]!
      const author = m.senderId === alice.user.id ? alice : bob
      await ok(as(u, author, 'PATCH', `/conversations/${direct}/messages/${m.seq}`, { text: `${m.text} (edited pineapple)` }))
    }
    for (let i = 5; i < 2600; i += 61) {
      await ok(as(u, bob, 'POST', `/conversations/${direct}/messages/${sent[i]!.seq}/reactions`, { emoji: '❤️' }))
      await ok(as(u, alice, 'POST', `/conversations/${direct}/messages/${sent[i]!.seq}/reactions`, { emoji: '❤️' }))
      if (i % 2 === 1) await ok(as(u, bob, 'POST', `/conversations/${direct}/messages/${sent[i]!.seq}/reactions`, { emoji: '❤️' }))
    }
    for (let i = 11; i < 2600; i += 113) {
      const m = sent[i]!
      await ok(as(u, m.senderId === alice.user.id ? alice : bob, 'DELETE', `/conversations/${direct}/messages/${m.seq}`))
    }
    fileBytes = Buffer.from('the quarterly numbers, kept across engines\n'.repeat(100))
    const upload = async (name: string): Promise<string> => {
      const res = await ok(createUpload(u, alice, { conversationId: direct, name, size: fileBytes.length, sha256: sha256(fileBytes) }))
      expect((await sendBytes(u, alice, res.upload.id, 0, fileBytes)).status).toBe(200)
      return res.upload.id as string
    }
    keptFileId = await upload('numbers.txt')
    await send(alice, direct, 'the numbers', { attachments: [keptFileId] })
    const goneFile = await upload('draft.txt')
    const withDraft = await send(alice, direct, 'a draft', { attachments: [goneFile] })
    await ok(as(u, alice, 'DELETE', `/conversations/${direct}/messages/${withDraft.seq}`))
    await ok(as(u, bob, 'POST', `/conversations/${direct}/read`, { seq: 2000 }))
    await ok(as(u, alice, 'POST', `/conversations/${direct}/read`, { seq: 2500 }))

    // A group with a join code that someone used, a cleared history and receipts.
    group = (await ok(as(u, alice, 'POST', '/conversations', { kind: 'group', title: 'Import team', memberIds: [bob.user.id, carol.user.id] }))).conversation.id
    await sendMany(group, [alice, bob, carol], 400, 'group')
    const { joinCode } = await ok(as(u, alice, 'POST', `/conversations/${group}/join-code`, { maxUses: 5 }))
    await ok(as(u, dave, 'POST', '/join', { code: joinCode.code }))
    await ok(as(u, bob, 'POST', `/conversations/${group}/clear`, {}))
    await sendMany(group, [alice, dave], 100, 'group after')
    await ok(as(u, carol, 'POST', `/conversations/${group}/read`, { seq: 150 }))
    const daveSocket = await connect(u, dave.accessToken)
    try {
      const delivered = await emitAck<{ deliveredSeq: number }>(daveSocket, 'receipt:delivered', { conversationId: group, seq: 480 })
      expect(delivered.ok).toBe(true)
    } finally {
      daveSocket.close()
    }

    // Issue 20: pins and saved messages.
    await ok(as(u, alice, 'PUT', `/conversations/${group}/pins/10`))
    await ok(as(u, alice, 'PUT', `/conversations/${group}/pins/12`))
    await ok(as(u, carol, 'PUT', `/saved/${group}/11`))
    await ok(as(u, alice, 'PUT', `/saved/${direct}/5`))
    await ok(as(u, alice, 'PUT', `/saved/${group}/12`))
    // Issue 21: scheduled messages (they may wait a year).
    const sendAt = new Date(clock() + 30 * 24 * 3600_000).toISOString()
    await ok(as(u, alice, 'POST', `/conversations/${group}/messages`, { clientId: 'import-later-1', text: 'next month', sendAt }))
    await ok(as(u, bob, 'POST', `/conversations/${direct}/messages`, { clientId: 'import-later-2', text: 'also later', sendAt }))

    // Issue 21: notification preferences with do-not-disturb, and a custom status with an emoji and an expiry.
    await ok(as(u, alice, 'PATCH', '/me/notification-prefs', { level: 'mentions', keywords: ['import'], conversations: { [group]: { level: 'none' } }, dndUntil: '2999-01-01T00:00:00.000Z' }))
    await ok(as(u, bob, 'PATCH', '/me', { statusText: 'Moving house', statusEmoji: '📦', statusExpiresAt: '2999-01-01T00:00:00.000Z' }))

    // A public room.
    room = (await ok(as(u, bob, 'POST', '/rooms', { name: 'Import Lobby' }))).conversation.id
    await ok(as(u, alice, 'POST', `/rooms/${room}/join`, {}))
    await ok(as(u, dave, 'POST', `/rooms/${room}/join`, {}))
    await sendMany(room, [bob, alice, dave], 300, 'room')

    // A refresh: alice's session now has a rotated token and a current one.
    alice = { ...alice, ...(await ok(api(u, 'POST', '/auth/refresh', { body: { refreshToken: alice.refreshToken } }))) }
    users[1] = alice

    before = await snapshot(u)
    await source.stop()
  }, 600_000)

  afterAll(async () => {
    await source?.destroy()
    for (const db of databases) await db.drop().catch(() => undefined)
  })

  it('moves the data directory into an empty database, exactly', async () => {
    const out = captured()
    const code = await runImportCommand(['--from', dataDir, '--database-url', target.url], out.io)
    importOutput = out.out()
    expect(code, out.err()).toBe(0)
    expect(out.err()).toBe('')
    expect(importOutput).toContain(`Importing ${dataDir} into PostgreSQL at 127.0.0.1:5432/${target.name}`)
    expect(importOutput).toMatch(/History: 6\/6 conversations, [\d,]+ messages/)
    expect(importOutput).toMatch(/Imported into 127\.0\.0\.1:5432\/\S+ in [\d.]+ s:/)
    // A webhook's bot and a bot account are accounts too (issue 21).
    expect(importOutput).toContain('7 accounts, 6 conversations')
    expect(importOutput).toContain('2 conversations with history expired by retention')
    expect(importOutput).toContain(`The files' bytes stayed in ${dataDir}/files`)
    expect(importOutput).toContain('the signing key (every node signs and serves the same')
    expect(importOutput).toContain(`--data-dir ${dataDir}`)
    expect(importOutput).not.toContain(`:${new URL(target.url).password}@`)
    const { messages } = await compareWith(target.url)
    expect(messages).toBeGreaterThan(3400)
    process.stdout.write(`${importOutput.split('\n').find((l) => l.startsWith('Imported into'))} (${messages} messages)\n`)
  })

  it('a server on the database answers every user as the data directory did; old passwords, sessions and files work', async () => {
    const srv = await startServer({ clock, databaseUrl: target.url }, dataDir)
    try {
      expect((await api(srv.url, 'GET', '/health')).body).toMatchObject({ ok: true })
      const after = await snapshot(srv.url)
      expect(Object.keys(after)).toEqual(Object.keys(before))
      for (const key of Object.keys(before)) expect(after[key], key).toEqual(before[key])
      // Signed in with an old password; an old refresh token still refreshes (and rotates).
      const login = await api(srv.url, 'POST', '/auth/login', { body: { username: bob.user.username, password: bob.password } })
      expect(login.status).toBe(200)
      const refreshed = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: alice.refreshToken } })
      expect(refreshed.status).toBe(200)
      expect((await api(srv.url, 'GET', '/me', { token: refreshed.body.accessToken })).body.user.id).toBe(alice.user.id)
      expect((await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: carol.refreshToken } })).status).toBe(200)
      // The file's bytes are where they were; its record came from the import.
      const got = await download(srv.url, bob, keptFileId)
      expect(got.status).toBe(200)
      expect(got.bytes.equals(fileBytes)).toBe(true)
      // History goes on from where it was: the next seq and change version follow.
      const next = await send2(srv.url, bob, direct, 'after the move')
      const lastBefore = (before[`${bob.user.username} /conversations/${direct}`] as { body: { conversation: { lastSeq: number } } }).body.conversation.lastSeq
      expect(next.seq).toBe(lastBefore + 1)
      const edited = await ok(as(srv.url, bob, 'PATCH', `/conversations/${direct}/messages/${next.seq}`, { text: 'after the move, edited' }))
      const versionBefore = versionOf(before, bob, direct)
      expect(edited.message.version).toBe(versionBefore + 1)
      const search = await as(srv.url, bob, 'GET', '/search?q=after%20the%20move')
      expect(search.body.results.map((r: { message: Message }) => r.message.seq)).toEqual([next.seq])
    } finally {
      await srv.stop()
    }
  })

  it('a node with a data directory of its own accepts the sessions the data directory signed (the import brought its key)', async () => {
    const node = await startServer({ clock, databaseUrl: target.url })
    try {
      expect(node.dataDir).not.toBe(dataDir)
      expect((await api(node.url, 'GET', '/me', { token: bob.accessToken })).body.user.id).toBe(bob.user.id)
      expect((await api(node.url, 'POST', '/auth/refresh', { body: { refreshToken: dave.refreshToken } })).status).toBe(200)
    } finally {
      await node.destroy()
    }
  })

  it('refuses a database that already holds accounts or conversations, changing nothing', async () => {
    const out = captured()
    expect(await runImportCommand(['--from', dataDir, '--database-url', target.url], out.io)).toBe(1)
    expect(out.err()).toMatch(/is not empty: it already holds 7 accounts and 6 conversations/)
    expect(out.err()).toContain('nothing was changed')
  })

  it('refuses while a server runs on the data directory, and leaves the database empty', async () => {
    const db = await freshDatabase('import refused')
    databases.push(db)
    const running = await startServer({ clock, databaseUrl: undefined }, dataDir)
    try {
      const out = captured()
      expect(await runImportCommand(['--from', dataDir, '--database-url', db.url], out.io)).toBe(1)
      expect(out.err()).toContain(`already in use by process ${process.pid}`)
      expect(out.err()).toContain('needs the server stopped')
    } finally {
      await running.stop()
    }
    const pg = await openPostgresStore(db.url)
    try {
      expect(await pg.users.count()).toBe(0)
    } finally {
      await pg.close()
    }
  })

  it('works through the real CLI in a child process', async () => {
    const db = await freshDatabase('import cli')
    databases.push(db)
    const env: NodeJS.ProcessEnv = { ...process.env, MESSENGER_DATABASE_URL: db.url }
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', '--from', dataDir], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 })
    expect(res.status, res.stderr).toBe(0)
    const target = new URL(db.url)
    expect(res.stdout).toContain(`Imported into ${target.hostname}:${target.port || 5432}/${db.name} in `)
    // The URL to run the server with, its password left out.
    expect(res.stdout).toContain(`--database-url postgres://${target.username}@${target.host}/${db.name}`)
    expect(res.stdout + res.stderr).not.toContain(`:${new URL(db.url).password}@`)
    await compareWith(db.url)
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--help'], { cwd: ROOT, encoding: 'utf8' })
    expect(help.stdout).toContain('messenger-server import --from DATA_DIR')
  })

  it('keeps a message that repeats a (sender, clientId), and rolls a failed import back entirely', async () => {
    // A copy of the directory whose direct chat ends with a message repeating the one before's clientId.
    const copy = await mkdtemp(join(tmpdir(), 'messenger-import-copy-'))
    const broken = await mkdtemp(join(tmpdir(), 'messenger-import-broken-'))
    try {
      await cp(dataDir, copy, { recursive: true })
      await rm(join(copy, 'server.lock'), { force: true })
      const history = join(copy, 'messages', direct)
      const tail = (await readdir(history)).filter((n) => n.endsWith('.jsonl')).sort().at(-1)!
      const lines = (await readFile(join(history, tail), 'utf8')).trimEnd().split('\n')
      const previous = JSON.parse(lines.at(-1)!) as Message
      const repeat: Message = { ...previous, id: randomUUID(), seq: previous.seq + 1, text: 'the same clientId again', createdAt: new Date(clock()).toISOString() }
      await appendFile(join(history, tail), `${JSON.stringify(repeat)}\n`)
      const db = await freshDatabase('import repeated clientId')
      databases.push(db)
      const out = captured()
      expect(await runImportCommand(['--from', copy, '--database-url', db.url], out.io), out.err()).toBe(0)
      expect(out.out()).toContain(`note: ${direct}: 1 message repeat a later one's (sender, clientId)`)
      await compareWith(db.url, copy)
      // A retry of that clientId finds the newer message on both engines.
      const retry = { clientId: previous.clientId, senderId: previous.senderId, text: 'retry' }
      const file = await openFileStore(copy, { search: false })
      const pg = await openPostgresStore(db.url)
      try {
        expect(await pg.messages.last(direct)).toEqual(repeat)
        expect(await file.messages.append(direct, retry)).toEqual({ created: false, message: repeat })
        expect(await pg.messages.append(direct, retry)).toEqual({ created: false, message: repeat })
      } finally {
        await pg.close()
        await file.close()
      }

      // Two rooms of one name cannot both be in the database: the import fails part-way and leaves nothing.
      await cp(dataDir, broken, { recursive: true })
      await rm(join(broken, 'server.lock'), { force: true })
      const doc = JSON.parse(await readFile(join(broken, 'db.json'), 'utf8')) as DbData
      Object.assign(doc.conversations[group]!, { kind: 'room', title: 'IMPORT LOBBY' })
      await writeFile(join(broken, 'db.json'), JSON.stringify(doc))
      const empty = await freshDatabase('import rolled back')
      databases.push(empty)
      const failed = captured()
      expect(await runImportCommand(['--from', broken, '--database-url', empty.url], failed.io)).toBe(1)
      expect(failed.err()).toContain('the import failed and was rolled back, leaving the database empty')
      expect(failed.err()).toContain('conversations_room_key_key')
      const rows = await databaseRows(empty.url)
      expect(rows.filter((r) => r.table !== 'public.schema_migrations')).toEqual([])
    } finally {
      await rm(copy, { recursive: true, force: true })
      await rm(broken, { recursive: true, force: true })
    }
  })

  it('migrate applies the schema once, then finds it up to date', async () => {
    const db = await freshDatabase('migrate')
    databases.push(db)
    const first = captured()
    expect(await runMigrateCommand(['--database-url', db.url], first.io)).toBe(0)
    const names = MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ')
    expect(first.out()).toBe(`Applied to 127.0.0.1:5432/${db.name}: ${names}\n`)
    const second = captured()
    expect(await runMigrateCommand(['--database-url', db.url], second.io)).toBe(0)
    expect(second.out()).toBe(`127.0.0.1:5432/${db.name} is already up to date\n`)
    // Through the CLI too, with the URL from the environment.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, MESSENGER_DATABASE_URL: db.url },
      encoding: 'utf8'
    })
    expect(cli.status, cli.stderr).toBe(0)
    expect(cli.stdout).toContain('is already up to date')
  })

  it('names the host and database it could not reach, never the password', async () => {
    const db = await freshDatabase('unreachable')
    databases.push(db)
    const secret = 'not-the-password-4711'
    const wrong = variant(db.url, (u) => (u.password = secret))
    const closed = variant(db.url, (u) => {
      u.password = secret
      u.port = '1'
    })
    for (const [url, where] of [
      [wrong, `127.0.0.1:5432/${db.name}`],
      [closed, `127.0.0.1:1/${db.name}`]
    ] as const) {
      for (const run of [
        (io: ReturnType<typeof captured>['io']) => runMigrateCommand(['--database-url', url], io),
        (io: ReturnType<typeof captured>['io']) => runImportCommand(['--from', dataDir, '--database-url', url], io)
      ]) {
        const out = captured()
        expect(await run(out.io)).toBe(1)
        expect(out.err()).toContain(`cannot reach PostgreSQL at ${where}`)
        expect(out.out() + out.err()).not.toContain(secret)
      }
    }
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'migrate', '--database-url', wrong], { cwd: ROOT, encoding: 'utf8' })
    expect(cli.status).toBe(1)
    expect(cli.stderr).toContain(`cannot reach PostgreSQL at 127.0.0.1:5432/${db.name}`)
    expect(cli.stdout + cli.stderr).not.toContain(secret)
  })

  it('explains bad usage with exit code 2', async () => {
    const saved = process.env['MESSENGER_DATABASE_URL']
    delete process.env['MESSENGER_DATABASE_URL']
    try {
      for (const [run, args, text] of [
        [runImportCommand, ['--database-url', target.url], 'give the data directory to import with --from'],
        [runImportCommand, ['--from', dataDir], 'give the database with --database-url'],
        [runImportCommand, ['--from', dataDir, '--database-url', 'mysql://x'], 'must start with postgres://'],
        [runImportCommand, ['--from', dataDir, '--bogus'], "Unknown option '--bogus'"],
        [runMigrateCommand, [], 'give the database with --database-url'],
        [runMigrateCommand, ['extra'], 'Unexpected argument']
      ] as const) {
        const out = captured()
        expect(await run([...args], out.io), args.join(' ')).toBe(2)
        expect(out.err()).toContain(text)
        expect(out.err()).toContain(run === runImportCommand ? 'Usage: messenger-server import' : 'Usage: messenger-server migrate')
      }
      const help = captured()
      expect(await runImportCommand(['--help'], help.io)).toBe(0)
      expect(help.out()).toContain('--from')
      const empty = captured()
      expect(await runImportCommand(['--from', join(dataDir, 'no-such-dir'), '--database-url', target.url], empty.io)).toBe(1)
      expect(empty.err()).toContain('holds no server data')
    } finally {
      if (saved !== undefined) process.env['MESSENGER_DATABASE_URL'] = saved
    }
  })
})

async function send2(url: string, user: TestUser, conversationId: string, text: string): Promise<Message> {
  return (await ok(as(url, user, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), text }))).message as Message
}

/** The conversation's change version as the snapshot's changes pages ended. */
function versionOf(snap: Snapshot, user: TestUser, conversationId: string): number {
  let version = 0
  for (const [key, value] of Object.entries(snap)) {
    if (key.startsWith(`${user.user.username} /conversations/${conversationId}/changes?`)) version = Math.max(version, (value as { body: { version: number } }).body.version)
  }
  return version
}
