// Issue 21 (i21-attention) on both engines: notification preferences kept by
// the server and synced to every device; the do-not-disturb mark others see
// in presence, on and off by itself; the custom status's emoji and expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AuthResponse } from '../../src/shared/schemas/auth'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import type { Presence } from '../../src/shared/schemas/presence'
import { collectWhere, record } from '../helpers/events'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { emitAck, SocketPool } from '../helpers/socket'

let srv: TestServer
const pool = new SocketPool()

beforeAll(async () => {
  srv = await startServer()
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

const soon = (ms: number): string => new Date(Date.now() + ms).toISOString()
const getPrefs = async (token: string): Promise<NotificationPrefs> =>
  (await api<{ prefs: NotificationPrefs }>(srv.url, 'GET', '/me/notification-prefs', { token })).body.prefs
const patchPrefs = (token: string, body: unknown) => api<{ prefs: NotificationPrefs }>(srv.url, 'PATCH', '/me/notification-prefs', { token, body })

async function group(owner: TestUser, others: TestUser[]): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'Office', memberIds: others.map((u) => u.user.id) } })
  return res.body.conversation.id as string
}

async function presenceOf(token: string, userId: string): Promise<Presence> {
  const socket = await pool.connect(srv.url, token)
  const res = await emitAck<{ presence: Presence[] }>(socket, 'presence:list', { userIds: [userId] })
  if (!res.ok) throw new Error(res.error.message)
  return res.data.presence[0]!
}

describe('notification preferences', () => {
  it('are the defaults at first, change by PATCH and reach every device of the user, not others', async () => {
    const [alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
    const conversationId = await group(alice, [bob])
    expect(await getPrefs(alice.accessToken)).toEqual(DEFAULT_NOTIFICATION_PREFS)

    const login = await api<AuthResponse>(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } })
    const phone = await pool.connect(srv.url, login.body.accessToken)
    const laptop = await pool.connect(srv.url, alice.accessToken)
    const bobs = record(await pool.connect(srv.url, bob.accessToken), 'notification-prefs:updated')
    const heard = collectWhere(phone, 'notification-prefs:updated', 1, () => true)

    const ack = await emitAck<{ prefs: NotificationPrefs }>(laptop, 'notification-prefs:update', {
      level: 'mentions',
      sound: false,
      keywords: ['deploy', 'Deploy', 'lunch'],
      conversations: { [conversationId]: { level: 'none' } },
      workHours: { enabled: true, timeZone: 'Europe/Berlin', days: [{ day: 1, start: '09:00', end: '17:00' }] }
    })
    expect(ack.ok).toBe(true)
    const expected: NotificationPrefs = {
      level: 'mentions',
      sound: false,
      keywords: ['deploy', 'lunch'],
      conversations: { [conversationId]: { level: 'none' } },
      dndUntil: null,
      workHours: { enabled: true, timeZone: 'Europe/Berlin', days: [{ day: 1, start: '09:00', end: '17:00' }] }
    }
    expect((await heard)[0]!.prefs).toEqual(expected)
    expect(await getPrefs(alice.accessToken)).toEqual(expected)

    // A PATCH changes only the fields it names; a conversation's entry given replaces the one kept; null removes it.
    const mutedUntil = soon(3600_000)
    const muted = await patchPrefs(alice.accessToken, { conversations: { [conversationId]: { mutedUntil } } })
    expect(muted.body.prefs).toMatchObject({ level: 'mentions', keywords: ['deploy', 'lunch'] })
    expect(muted.body.prefs.conversations[conversationId]).toEqual({ mutedUntil })
    const cleared = await patchPrefs(alice.accessToken, { conversations: { [conversationId]: null }, workHours: null })
    expect(cleared.body.prefs).toMatchObject({ level: 'mentions', conversations: {}, workHours: null })
    expect((await emitAck(await pool.connect(srv.url, bob.accessToken), 'presence:list', {})).ok).toBe(true)
    expect(bobs).toEqual([])
  })

  it('drop overrides of conversations the user is not in', async () => {
    const [alice, bob, carol] = await Promise.all([register(srv.url), register(srv.url), register(srv.url)])
    const theirs = await group(bob, [carol])
    const mine = await group(alice, [bob])
    const res = await patchPrefs(alice.accessToken, { conversations: { [theirs]: { level: 'all' }, [mine]: { level: 'all' } } })
    expect(res.status).toBe(200)
    expect(res.body.prefs.conversations).toEqual({ [mine]: { level: 'all' } })
    // Leaving takes the override with it.
    await api(srv.url, 'DELETE', `/conversations/${mine}/members/${alice.user.id}`, { token: alice.accessToken })
    expect((await getPrefs(alice.accessToken)).conversations).toEqual({})
  })

  it.each([
    ['an unknown time zone', { workHours: { enabled: true, timeZone: 'Mars/Olympus', days: [] } }, 'timeZone'],
    ['hours that end before they start', { workHours: { enabled: true, timeZone: 'UTC', days: [{ day: 2, start: '17:00', end: '09:00' }] } }, 'end must be after start'],
    ['a do-not-disturb that ended already', { dndUntil: new Date(Date.now() - 60_000).toISOString() }, 'future'],
    ['a level that is none of all, mentions, none', { level: 'loud' }, 'level'],
    ['nothing to change', {}, 'give level'],
    ['an unknown field', { volume: 3 }, 'volume'],
    ['a one-letter keyword', { keywords: ['a'] }, 'keywords']
  ])('refuse %s with a 400 naming it', async (_what, body, words) => {
    const alice = await register(srv.url)
    const res = await patchPrefs(alice.accessToken, body)
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toContain(words)
    expect(await getPrefs(alice.accessToken)).toEqual(DEFAULT_NOTIFICATION_PREFS)
  })

  it('need a signed-in user', async () => {
    expect((await api(srv.url, 'GET', '/me/notification-prefs')).status).toBe(401)
    expect((await api(srv.url, 'PATCH', '/me/notification-prefs', { body: { level: 'none' } })).status).toBe(401)
  })
})

describe('the do-not-disturb mark', () => {
  it('shows in presence to people who share a conversation, and goes by itself when the time comes', async () => {
    const [alice, bob, stranger] = await Promise.all([register(srv.url), register(srv.url), register(srv.url)])
    await group(alice, [bob])
    await pool.connect(srv.url, alice.accessToken)
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    expect((await presenceOf(bob.accessToken, alice.user.id)).dndUntil ?? null).toBeNull()

    const until = soon(1500)
    const on = collectWhere(bobSocket, 'presence:update', 1, (p) => p.userId === alice.user.id && !!p.dndUntil)
    const off = collectWhere(bobSocket, 'presence:update', 1, (p) => p.userId === alice.user.id && !p.dndUntil)
    expect((await patchPrefs(alice.accessToken, { dndUntil: until })).status).toBe(200)
    expect((await on)[0]).toMatchObject({ userId: alice.user.id, status: 'online', dndUntil: until })
    expect((await presenceOf(bob.accessToken, alice.user.id)).dndUntil).toBe(until)
    // Someone who shares nothing with Alice sees nothing of her.
    const strangers = await pool.connect(srv.url, stranger.accessToken)
    const listed = await emitAck<{ presence: Presence[] }>(strangers, 'presence:list', { userIds: [alice.user.id] })
    expect(listed.ok && listed.data.presence).toEqual([])

    expect((await off)[0]).toMatchObject({ userId: alice.user.id, status: 'online' })
    expect((await presenceOf(bob.accessToken, alice.user.id)).dndUntil ?? null).toBeNull()
  })

  it('goes at once when turned off, and shows the start of work hours when outside them', async () => {
    const [alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
    await group(alice, [bob])
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    await patchPrefs(alice.accessToken, { dndUntil: soon(3600_000) })
    const off = collectWhere(bobSocket, 'presence:update', 1, (p) => p.userId === alice.user.id && !p.dndUntil)
    await patchPrefs(alice.accessToken, { dndUntil: null })
    expect((await off)[0]!.userId).toBe(alice.user.id)

    // Work hours on no day of the week: outside them all the time.
    const day = new Date().getUTCDay()
    const tomorrow = (day + 1) % 7
    await patchPrefs(alice.accessToken, { workHours: { enabled: true, timeZone: 'UTC', days: [{ day: tomorrow, start: '09:00', end: '17:00' }] } })
    const mark = (await presenceOf(bob.accessToken, alice.user.id)).dndUntil
    const now = new Date()
    const nextStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9)
    expect(mark).toBe(new Date(nextStart).toISOString())
  })
})

describe('custom status', () => {
  it('keeps an emoji and an expiry, refuses a bad one, and clears itself at expiry, telling the user', async () => {
    const [alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
    const conversationId = await group(alice, [bob])
    const aliceSocket = await pool.connect(srv.url, alice.accessToken)

    expect((await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusEmoji: 'not an emoji' } })).status).toBe(400)
    const past = await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusExpiresAt: new Date(Date.now() - 1000).toISOString() } })
    expect(past.status).toBe(400)
    expect(JSON.stringify(past.body)).toContain('future')

    const expiresAt = soon(1500)
    const cleared = collectWhere(aliceSocket, 'account:updated', 1, (p) => p.user.statusText === '')
    const set = await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusText: 'In a meeting', statusEmoji: '📅', statusExpiresAt: expiresAt } })
    expect(set.status).toBe(200)
    expect(set.body.user).toMatchObject({ statusText: 'In a meeting', statusEmoji: '📅', statusExpiresAt: expiresAt })
    const members = await api(srv.url, 'GET', `/conversations/${conversationId}`, { token: bob.accessToken })
    expect(JSON.stringify(members.body)).toContain('📅')

    const after = (await cleared)[0]!.user
    expect(after.statusEmoji).toBeUndefined()
    expect(after.statusExpiresAt).toBeUndefined()
    const me = await api(srv.url, 'GET', '/me', { token: alice.accessToken })
    expect(me.body.user).toMatchObject({ statusText: '' })
    expect(me.body.user.statusEmoji).toBeUndefined()

    // null clears the emoji; a status without expiry stays.
    await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusText: 'Remote', statusEmoji: '🏠' } })
    const noEmoji = await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusEmoji: null } })
    expect(noEmoji.body.user.statusText).toBe('Remote')
    expect(noEmoji.body.user.statusEmoji).toBeUndefined()
  })
})
