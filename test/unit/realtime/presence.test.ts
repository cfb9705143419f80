import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { PresenceDirectory } from '../../../server/cluster/presence-directory'
import { PresenceTracker } from '../../../server/realtime/presence'
import { MetaStore } from '../../../server/store/meta-store'
import type { UserRecord } from '../../../server/store/records'
import type { PresenceStatus } from '../../../src/shared/schemas/presence'

let store: MetaStore
let now: Date
let tracker: PresenceTracker
let told: [string, PresenceStatus][]

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

/** Another node, as the directory would show it: its users' statuses, set by hand. */
function otherNode(): { directory: PresenceDirectory; there: Map<string, PresenceStatus>; published: Map<string, PresenceStatus> } {
  const there = new Map<string, PresenceStatus>()
  const published = new Map<string, PresenceStatus>()
  return {
    there,
    published,
    directory: {
      publish: (userId, status) => {
        published.set(userId, status)
        return Promise.resolve(there.get(userId) ?? 'offline')
      },
      elsewhere: (userIds) => Promise.resolve(userIds.map((id) => there.get(id) ?? 'offline')),
      start: () => undefined,
      close: () => Promise.resolve()
    }
  }
}

beforeEach(async () => {
  store = await MetaStore.open()
  now = new Date('2030-01-02T03:04:05.000Z')
  told = []
  tracker = new PresenceTracker(store.users, { now: () => now, onChange: (u, s) => told.push([u, s]) })
})

describe('PresenceTracker on one node', () => {
  it('is online while any device is online, away when all are away, offline when none is left', async () => {
    const u = await user()
    expect(await tracker.status(u)).toBe('offline')
    expect(await tracker.connected(u, 'laptop')).toBe('online')
    expect(await tracker.connected(u, 'phone')).toBeNull()
    expect(await tracker.set(u, 'laptop', 'away')).toBeNull()
    expect(await tracker.set(u, 'phone', 'away')).toBe('away')
    expect(await tracker.set(u, 'phone', 'away')).toBeNull()
    expect(await tracker.disconnected(u, 'phone')).toBeNull()
    expect(await tracker.status(u)).toBe('away')
    expect((await store.users.byId(u))?.lastSeenAt).toBeUndefined()
    expect(await tracker.disconnected(u, 'laptop')).toBe('offline')
    expect((await tracker.view(u, u)).lastSeenAt).toBe(now.toISOString())
    expect(tracker.localStatus(u)).toBe('offline')
    expect(told).toEqual([
      [u, 'online'],
      [u, 'away'],
      [u, 'offline']
    ])
  })

  it('reports changes in the order made, even when not awaited one by one', async () => {
    const u = await user()
    const changes = [tracker.connected(u, 's1'), tracker.set(u, 's1', 'away'), tracker.set(u, 's1', 'online'), tracker.disconnected(u, 's1')]
    expect(await Promise.all(changes)).toEqual(['online', 'away', 'online', 'offline'])
    expect(told.map(([, s]) => s)).toEqual(['online', 'away', 'online', 'offline'])
  })

  it('ignores a status from a socket it does not know and a second disconnect', async () => {
    const u = await user()
    expect(await tracker.set(u, 'ghost', 'away')).toBeNull()
    expect(await tracker.status(u)).toBe('offline')
    await tracker.connected(u, 's1')
    expect(await tracker.disconnected(u, 's1')).toBe('offline')
    await tracker.settled()
    now = new Date('2031-01-01T00:00:00.000Z')
    expect(await tracker.disconnected(u, 's1')).toBeNull()
    expect((await tracker.view(u, u)).lastSeenAt).toBe('2030-01-02T03:04:05.000Z')
  })

  it('shows a last seen only while offline, never when either side hides theirs, always to oneself', async () => {
    const seen = '2029-05-05T05:05:05.000Z'
    const open = await user({ lastSeenAt: seen })
    const hider = await user({ lastSeenAt: seen, hideLastSeen: true })
    const viewer = await user()
    const hidingViewer = await user({ hideLastSeen: true })
    expect(await tracker.view(open, viewer)).toEqual({ userId: open, status: 'offline', lastSeenAt: seen })
    expect((await tracker.view(open, hidingViewer)).lastSeenAt).toBeNull()
    expect((await tracker.view(hider, viewer)).lastSeenAt).toBeNull()
    expect((await tracker.view(hider, hider)).lastSeenAt).toBe(seen)
    expect((await tracker.view(viewer, open)).lastSeenAt).toBeNull()
    void tracker.connected(open, 's1')
    expect(await tracker.view(open, viewer)).toEqual({ userId: open, status: 'online', lastSeenAt: null })
  })
})

describe('PresenceTracker with other nodes', () => {
  let other: ReturnType<typeof otherNode>
  beforeEach(() => {
    other = otherNode()
    tracker = new PresenceTracker(store.users, { directory: other.directory, now: () => now, onChange: (u, s) => told.push([u, s]) })
  })

  it('a user online elsewhere is online here; coming and going here changes nothing, and records no last seen', async () => {
    const u = await user()
    other.there.set(u, 'online')
    expect(await tracker.status(u)).toBe('online')
    expect(await tracker.connected(u, 's1')).toBeNull()
    expect(await tracker.set(u, 's1', 'away')).toBeNull()
    expect(await tracker.disconnected(u, 's1')).toBeNull()
    expect(other.published.get(u)).toBe('offline')
    expect((await store.users.byId(u))?.lastSeenAt).toBeUndefined()
    expect(told).toEqual([])
  })

  it('away everywhere is away; online here makes them online; leaving here leaves them away', async () => {
    const u = await user()
    other.there.set(u, 'away')
    expect(await tracker.connected(u, 's1')).toBe('online')
    expect(await tracker.set(u, 's1', 'away')).toBe('away')
    expect(await tracker.set(u, 's1', 'online')).toBe('online')
    expect(await tracker.disconnected(u, 's1')).toBe('away')
    expect(told.map(([, s]) => s)).toEqual(['online', 'away', 'online', 'away'])
  })

  it('a dead node’s users are offline with its last beat as last seen, unless connected here', async () => {
    const [gone, here] = [await user(), await user()]
    await tracker.connected(here, 's1')
    told = []
    const lastBeat = new Date('2030-01-02T03:00:00.000Z')
    tracker.gone([gone, here], lastBeat)
    await tracker.settled()
    expect(told).toEqual([[gone, 'offline']])
    expect((await tracker.view(gone, gone)).lastSeenAt).toBe(lastBeat.toISOString())
  })

  it('a resync tells each user’s status across the nodes again', async () => {
    const [a, b, c] = [await user(), await user(), await user()]
    await tracker.connected(a, 's1')
    other.there.set(b, 'away')
    told = []
    tracker.resync([a, b, c])
    await tracker.settled()
    expect(told).toEqual([
      [a, 'online'],
      [b, 'away'],
      [c, 'offline']
    ])
    expect([...tracker.snapshot()]).toEqual([[a, 'online']])
  })
})
