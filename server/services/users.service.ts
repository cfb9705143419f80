import type { Me, PublicUser, UpdateMeBody } from '../../src/shared/schemas/users'
import { AppError, notFound } from '../errors'
import type { UserRecord } from '../store/records'
import type { UserPatch, UserRepo } from '../store/types'

/** Issue 21: a custom status past its expiry is gone (text and emoji), even before the server's clearing of it is written. */
export const statusExpired = (user: UserRecord, now: number): boolean => !!user.statusExpiresAt && Date.parse(user.statusExpiresAt) <= now

export function toPublicUser(user: UserRecord): PublicUser {
  const view: PublicUser = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    statusText: user.statusText,
    avatar: user.avatar ?? null,
    createdAt: user.createdAt,
    ...(user.bot ? { bot: true } : {})
  }
  // Date.now(), not an argument: callers map records straight through this (an index would be taken for a time).
  if (statusExpired(user, Date.now())) view.statusText = ''
  else {
    if (user.statusEmoji) view.statusEmoji = user.statusEmoji
    if (user.statusExpiresAt) view.statusExpiresAt = user.statusExpiresAt
  }
  return view
}

export function toMe(user: UserRecord): Me {
  return {
    ...toPublicUser(user),
    hideLastSeen: user.hideLastSeen ?? false,
    contactsOnlyDirect: user.contactsOnlyDirect ?? false,
    serverAdmin: user.serverAdmin ?? false,
    email: user.email ?? null
  }
}

export class UserService {
  /** Issue 21: a custom status was set with an expiry, or its expiry removed (null): the server clears it then. */
  onStatusExpiry: ((userId: string, expiresAt: string | null) => void) | null = null

  constructor(
    private readonly users: UserRepo,
    private readonly now: () => number = Date.now
  ) {}

  async get(id: string): Promise<PublicUser> {
    const user = await this.users.byId(id)
    if (!user) throw notFound('user')
    return toPublicUser(user)
  }

  /** The caller's own profile, with private settings. */
  async me(id: string): Promise<Me> {
    const user = await this.users.byId(id)
    if (!user) throw notFound('user')
    return toMe(user)
  }

  async update(id: string, patch: UpdateMeBody): Promise<Me> {
    if (!(await this.users.byId(id))) throw notFound('user')
    const changes: UserPatch = {}
    if (patch.displayName !== undefined) changes.displayName = patch.displayName
    if (patch.statusText !== undefined) changes.statusText = patch.statusText
    if (patch.avatar !== undefined) changes.avatar = patch.avatar
    if (patch.hideLastSeen !== undefined) changes.hideLastSeen = patch.hideLastSeen
    if (patch.contactsOnlyDirect !== undefined) changes.contactsOnlyDirect = patch.contactsOnlyDirect
    if (patch.email !== undefined) changes.email = patch.email
    if (patch.statusEmoji !== undefined) changes.statusEmoji = patch.statusEmoji
    if (patch.statusExpiresAt !== undefined) {
      if (patch.statusExpiresAt !== null && Date.parse(patch.statusExpiresAt) <= this.now()) {
        throw new AppError('validation_failed', 'body.statusExpiresAt: must be in the future (or null to keep the status)')
      }
      changes.statusExpiresAt = patch.statusExpiresAt === null ? null : new Date(patch.statusExpiresAt).toISOString()
    }
    const user = await this.users.update(id, changes)
    if (changes.statusExpiresAt !== undefined) this.onStatusExpiry?.(id, changes.statusExpiresAt)
    return toMe(user)
  }

  /** Issue 21: clears a custom status whose time has come; true if it did (it was still set to expire by then). */
  async expireStatus(id: string): Promise<boolean> {
    const user = await this.users.byId(id)
    if (!user || !statusExpired(user, this.now())) return false
    await this.users.update(id, { statusText: '', statusEmoji: null, statusExpiresAt: null })
    return true
  }

  /** Users whose custom status clears by itself, for the timers at start. */
  async expiring(): Promise<{ id: string; at: string }[]> {
    return (await this.users.all()).flatMap((u) => (u.statusExpiresAt ? [{ id: u.id, at: u.statusExpiresAt }] : []))
  }

  async search(q: string | undefined, limit: number): Promise<PublicUser[]> {
    // Bots (issue 21) are nobody to start a chat with or add: people search leaves them out (asking for more covers a few).
    const found = await this.users.search(q ?? '', limit + 10)
    return found
      .filter((u) => !u.bot)
      .slice(0, limit)
      .map(toPublicUser)
  }
}
