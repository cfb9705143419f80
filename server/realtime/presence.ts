import type { ActiveStatus, Presence, PresenceStatus } from '../../src/shared/schemas/presence'
import type { ConversationRepo, UserRepo } from '../store/types'

/**
 * Who is connected to this server, from which sockets, and what each socket
 * reported. A user is online while any socket is online, away while every
 * socket is away, offline once the last one has gone: then their last seen is
 * recorded on the user record. Kept per server instance, never per module.
 */
export class PresenceTracker {
  /** userId → socketId → what that device reported. */
  private readonly devices = new Map<string, Map<string, ActiveStatus>>()
  /** Last-seen writes in flight: a reader waits for them, so it never shows the time before. */
  private readonly saving = new Map<string, Promise<void>>()

  constructor(
    private readonly users: UserRepo,
    private readonly now: () => Date = () => new Date(),
    private readonly onError: (err: unknown, userId: string) => void = () => undefined
  ) {}

  status(userId: string): PresenceStatus {
    const devices = this.devices.get(userId)
    if (!devices || devices.size === 0) return 'offline'
    for (const status of devices.values()) if (status === 'online') return 'online'
    return 'away'
  }

  isConnected(userId: string): boolean {
    return this.devices.has(userId)
  }

  deviceStatus(userId: string, socketId: string): ActiveStatus | undefined {
    return this.devices.get(userId)?.get(socketId)
  }

  // Each change returns the user's new overall status if it changed, else null.

  connected(userId: string, socketId: string): PresenceStatus | null {
    return this.change(userId, () => {
      let devices = this.devices.get(userId)
      if (!devices) this.devices.set(userId, (devices = new Map<string, ActiveStatus>()))
      devices.set(socketId, 'online')
    })
  }

  set(userId: string, socketId: string, status: ActiveStatus): PresenceStatus | null {
    return this.change(userId, () => {
      const devices = this.devices.get(userId)
      if (devices?.has(socketId)) devices.set(socketId, status)
    })
  }

  disconnected(userId: string, socketId: string): PresenceStatus | null {
    const changed = this.change(userId, () => {
      const devices = this.devices.get(userId)
      if (!devices?.delete(socketId)) return
      if (devices.size === 0) this.devices.delete(userId)
    })
    if (changed === 'offline') {
      const write = this.users
        .setLastSeen(userId, this.now().toISOString())
        .catch((err: unknown) => this.onError(err, userId))
        .finally(() => {
          if (this.saving.get(userId) === write) this.saving.delete(userId)
        })
      this.saving.set(userId, write)
    }
    return changed
  }

  /** What `viewerId` may know of `userId`'s presence. */
  async view(userId: string, viewerId: string): Promise<Presence> {
    const status = this.status(userId)
    return { userId, status, lastSeenAt: status === 'offline' ? await this.lastSeenFor(userId, viewerId) : null }
  }

  /**
   * The last seen `viewerId` is shown: none if the user hides theirs, and, as
   * WhatsApp does, none if the viewer hides their own (you cannot watch others
   * while hiding from them). Everyone sees their own.
   */
  async lastSeenFor(userId: string, viewerId: string): Promise<string | null> {
    await this.saving.get(userId)
    const user = await this.users.byId(userId)
    if (!user?.lastSeenAt) return null
    if (userId === viewerId) return user.lastSeenAt
    if (user.hideLastSeen || (await this.users.byId(viewerId))?.hideLastSeen) return null
    return user.lastSeenAt
  }

  private change(userId: string, mutate: () => void): PresenceStatus | null {
    const before = this.status(userId)
    mutate()
    const after = this.status(userId)
    return before === after ? null : after
  }
}

/** Everyone who shares at least one conversation with the user, not the user. */
export async function contactsOf(conversations: ConversationRepo, userId: string): Promise<Set<string>> {
  const contacts = new Set<string>()
  const memberships = await Promise.all((await conversations.forUser(userId)).map((c) => conversations.members(c.id)))
  for (const members of memberships) for (const member of members) contacts.add(member.userId)
  contacts.delete(userId)
  return contacts
}
