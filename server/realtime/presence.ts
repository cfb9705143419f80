import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import type { ActiveStatus, Presence, PresenceStatus } from '../../src/shared/schemas/presence'
import { LOCAL_DIRECTORY, type DirectoryPeer, type PresenceDirectory } from '../cluster/presence-directory'
import type { ConversationRepo, UserRepo } from '../store/types'

export interface PresenceTrackerOptions {
  /** The other nodes' users; none by default (one node). */
  directory?: PresenceDirectory
  now?: () => Date
  /** A user's status across every node changed; called in the order of the changes. */
  onChange?: (userId: string, status: PresenceStatus) => void
  onError?: (err: unknown, userId: string) => void
  /** Issue 21: when each user's do-not-disturb ends (null: not in it); none by default. */
  dnd?: (userIds: string[]) => Promise<(string | null)[]>
}

const RANK: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2 }
const best = (a: PresenceStatus, b: PresenceStatus): PresenceStatus => (RANK[a] >= RANK[b] ? a : b)

/**
 * Who is connected to this node, from which sockets, and what each socket
 * reported; and, through the directory, to the others. A user is online while
 * any socket on any node is online, away while every one is away, offline
 * once the last one has gone: then their last seen is recorded on the user
 * record. A user's changes are published one at a time, in order, and each
 * that changes their status across the nodes is reported to `onChange`. Kept
 * per server instance, never per module.
 */
export class PresenceTracker implements DirectoryPeer {
  /** userId → socketId → what that device reported. */
  private readonly devices = new Map<string, Map<string, ActiveStatus>>()
  /** Last-seen writes in flight: a reader waits for them, so it never shows the time before. */
  private readonly saving = new Map<string, Promise<void>>()
  private readonly changes = new OneAtATimePerKey()
  private readonly directory: PresenceDirectory
  private readonly now: () => Date
  private readonly onChange: (userId: string, status: PresenceStatus) => void
  private readonly onError: (err: unknown, userId: string) => void
  readonly dnd: (userIds: string[]) => Promise<(string | null)[]>

  constructor(
    private readonly users: UserRepo,
    options: PresenceTrackerOptions = {}
  ) {
    this.directory = options.directory ?? LOCAL_DIRECTORY
    this.now = options.now ?? ((): Date => new Date())
    this.onChange = options.onChange ?? ((): void => undefined)
    this.onError = options.onError ?? ((): void => undefined)
    this.dnd = options.dnd ?? ((userIds) => Promise.resolve(userIds.map(() => null)))
  }

  /** The user's status from this node's sockets alone. */
  localStatus(userId: string): PresenceStatus {
    const devices = this.devices.get(userId)
    if (!devices || devices.size === 0) return 'offline'
    for (const status of devices.values()) if (status === 'online') return 'online'
    return 'away'
  }

  /** The user's status across every node, once their changes under way here are published. */
  async status(userId: string): Promise<PresenceStatus> {
    return (await this.statuses([userId]))[0]!
  }

  async statuses(userIds: string[]): Promise<PresenceStatus[]> {
    const pending = userIds.flatMap((id) => this.changes.pendingOf(id) ?? [])
    if (pending.length > 0) await Promise.all(pending)
    const elsewhere = await this.directory.elsewhere(userIds)
    return userIds.map((id, i) => best(this.localStatus(id), elsewhere[i]!))
  }

  deviceStatus(userId: string, socketId: string): ActiveStatus | undefined {
    return this.devices.get(userId)?.get(socketId)
  }

  // Each change resolves with the user's new status across the nodes if it changed, else null.

  connected(userId: string, socketId: string): Promise<PresenceStatus | null> {
    return this.change(userId, () => {
      let devices = this.devices.get(userId)
      if (!devices) this.devices.set(userId, (devices = new Map<string, ActiveStatus>()))
      devices.set(socketId, 'online')
    })
  }

  set(userId: string, socketId: string, status: ActiveStatus): Promise<PresenceStatus | null> {
    return this.change(userId, () => {
      const devices = this.devices.get(userId)
      if (devices?.has(socketId)) devices.set(socketId, status)
    })
  }

  disconnected(userId: string, socketId: string): Promise<PresenceStatus | null> {
    return this.change(userId, () => {
      const devices = this.devices.get(userId)
      if (!devices?.delete(socketId)) return
      if (devices.size === 0) this.devices.delete(userId)
    })
  }

  /** What `viewerId` may know of `userId`'s presence. */
  async view(userId: string, viewerId: string): Promise<Presence> {
    return (await this.views([userId], viewerId))[0]!
  }

  async views(userIds: string[], viewerId: string): Promise<Presence[]> {
    const [statuses, dnd] = await Promise.all([this.statuses(userIds), this.dnd(userIds)])
    return Promise.all(
      userIds.map(async (userId, i) => {
        const status = statuses[i]!
        const view: Presence = { userId, status, lastSeenAt: status === 'offline' ? await this.lastSeenFor(userId, viewerId) : null }
        return withDnd(view, dnd[i] ?? null)
      })
    )
  }

  /**
   * The last seen `viewerId` is shown: none if the user hides theirs, and, as
   * WhatsApp does, none if the viewer hides their own (you cannot watch others
   * while hiding from them). Everyone sees their own.
   */
  async lastSeenFor(userId: string, viewerId: string): Promise<string | null> {
    return (await this.lastSeenForViewers(userId, [viewerId]))[0]!
  }

  /** lastSeenFor of one user for many viewers: the user read once, the viewers in one read. */
  async lastSeenForViewers(userId: string, viewerIds: readonly string[]): Promise<(string | null)[]> {
    await this.saving.get(userId)
    const user = await this.users.byId(userId)
    const lastSeenAt = user?.lastSeenAt
    if (!user || !lastSeenAt) return viewerIds.map(() => null)
    const others = viewerIds.filter((id) => id !== userId)
    // Viewers who hide their own; not read when the user hides theirs from everyone.
    const hiding = user.hideLastSeen || others.length === 0 ? new Set<string>() : new Set((await this.users.byIds(others)).filter((v) => v.hideLastSeen).map((v) => v.id))
    return viewerIds.map((id) => (id === userId ? lastSeenAt : user.hideLastSeen || hiding.has(id) ? null : lastSeenAt))
  }

  /** Resolves once every change given so far is published and reported. */
  settled(): Promise<void> {
    return this.changes.idle()
  }

  // DirectoryPeer: what the directory asks of this node.

  snapshot(): Map<string, ActiveStatus> {
    const snapshot = new Map<string, ActiveStatus>()
    for (const userId of this.devices.keys()) {
      const status = this.localStatus(userId)
      if (status !== 'offline') snapshot.set(userId, status)
    }
    return snapshot
  }

  gone(userIds: string[], lastSeenAt: Date): void {
    for (const userId of userIds) {
      void this.queued(userId, () => {
        // Connected here meanwhile: this node's own change already told everyone.
        if (this.localStatus(userId) !== 'offline') return null
        this.recordLastSeen(userId, lastSeenAt)
        this.onChange(userId, 'offline')
        return 'offline'
      })
    }
  }

  resync(userIds: string[]): void {
    for (const userId of userIds) {
      void this.queued(userId, async () => {
        const [elsewhere] = await this.directory.elsewhere([userId])
        const status = best(this.localStatus(userId), elsewhere!)
        this.onChange(userId, status)
        return status
      })
    }
  }

  private change(userId: string, mutate: () => void): Promise<PresenceStatus | null> {
    const before = this.localStatus(userId)
    mutate()
    const after = this.localStatus(userId)
    // Nothing changed on this node, so nothing changed anywhere.
    if (before === after) return (this.changes.pendingOf(userId) ?? Promise.resolve()).then(() => null)
    return this.queued(userId, async () => {
      const elsewhere = await this.directory.publish(userId, after)
      const was = best(before, elsewhere)
      const now = best(after, elsewhere)
      if (was === now) return null
      if (now === 'offline') this.recordLastSeen(userId, this.now())
      this.onChange(userId, now)
      return now
    })
  }

  /** Runs after the user's earlier changes; a failure is reported, never thrown. */
  private queued(userId: string, task: () => Promise<PresenceStatus | null> | PresenceStatus | null): Promise<PresenceStatus | null> {
    return this.changes.run(userId, async () => {
      try {
        return await task()
      } catch (err) {
        this.onError(err, userId)
        return null
      }
    })
  }

  private recordLastSeen(userId: string, at: Date): void {
    const write = this.users
      .setLastSeen(userId, at.toISOString())
      .catch((err: unknown) => this.onError(err, userId))
      .finally(() => {
        if (this.saving.get(userId) === write) this.saving.delete(userId)
      })
    this.saving.set(userId, write)
  }
}

/** The do-not-disturb mark on a presence, only when it is on (older clients and tests see the shape they know). */
export function withDnd(view: Presence, dndUntil: string | null): Presence {
  return dndUntil === null ? view : { ...view, dndUntil }
}

/** Everyone who shares at least one conversation with the user, not the user. */
export async function contactsOf(conversations: ConversationRepo, userId: string): Promise<Set<string>> {
  const contacts = new Set<string>()
  const memberships = await Promise.all((await conversations.forUser(userId)).map((c) => conversations.members(c.id)))
  for (const members of memberships) for (const member of members) contacts.add(member.userId)
  contacts.delete(userId)
  return contacts
}
