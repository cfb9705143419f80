import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { PresenceTracker } from '../../../server/realtime/presence'
import { MetaStore } from '../../../server/store/meta-store'
import type { UserRecord } from '../../../server/store/records'

let store: MetaStore
let now: Date
let tracker: PresenceTracker

async function user(extra: Partial<UserRecord> = {}): Promise<string> {
  const id = randomUUID()
  const name = `u${id.slice(0, 8)}`
  await store.users.create({
    id,
    username: name,
    usernameLower: name,
    displayName: name,
    statusText: '',
    passwordHash: 'x',
    createdAt: new Date(0).toISOString(),
    ...extra
  })
  return id
}

beforeEach(async () => {
  store = await MetaStore.open()
  now = new Date('2030-01-02T03:04:05.000Z')
  tracker = new PresenceTracker(store.users, () => now)
})

describe('PresenceTracker', () => {
  it('is online while any device is online, away when all are away, offline when none is left', async () => {
    const u = await user()
    expect(tracker.status(u)).toBe('offline')
    expect(tracker.connected(u, 'laptop')).toBe('online')
    expect(tracker.connected(u, 'phone')).toBeNull()
    expect(tracker.set(u, 'laptop', 'away')).toBeNull()
    expect(tracker.set(u, 'phone', 'away')).toBe('away')
    expect(tracker.set(u, 'phone', 'away')).toBeNull()
    expect(tracker.disconnected(u, 'phone')).toBeNull()
    expect(tracker.status(u)).toBe('away')
    expect((await store.users.byId(u))?.lastSeenAt).toBeUndefined()
    expect(tracker.disconnected(u, 'laptop')).toBe('offline')
    expect((await store.users.byId(u))?.lastSeenAt).toBe(now.toISOString())
    expect(tracker.isConnected(u)).toBe(false)
  })

  it('ignores a status from a socket it does not know and a second disconnect', async () => {
    const u = await user()
    expect(tracker.set(u, 'ghost', 'away')).toBeNull()
    expect(tracker.status(u)).toBe('offline')
    tracker.connected(u, 's1')
    expect(tracker.disconnected(u, 's1')).toBe('offline')
    now = new Date('2031-01-01T00:00:00.000Z')
    expect(tracker.disconnected(u, 's1')).toBeNull()
    expect((await store.users.byId(u))?.lastSeenAt).toBe('2030-01-02T03:04:05.000Z')
  })

  it('shows a last seen only while offline, never when either side hides theirs, always to oneself', async () => {
    const seen = '2029-05-05T05:05:05.000Z'
    const open = await user({ lastSeenAt: seen })
    const hider = await user({ lastSeenAt: seen, hideLastSeen: true })
    const viewer = await user()
    const hidingViewer = await user({ hideLastSeen: true })
    expect((await tracker.view(open, viewer))).toEqual({ userId: open, status: 'offline', lastSeenAt: seen })
    expect((await tracker.view(open, hidingViewer)).lastSeenAt).toBeNull()
    expect((await tracker.view(hider, viewer)).lastSeenAt).toBeNull()
    expect((await tracker.view(hider, hider)).lastSeenAt).toBe(seen)
    expect((await tracker.view(viewer, open)).lastSeenAt).toBeNull()
    tracker.connected(open, 's1')
    expect((await tracker.view(open, viewer))).toEqual({ userId: open, status: 'online', lastSeenAt: null })
  })
})
