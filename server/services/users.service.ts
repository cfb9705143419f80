import type { Me, PublicUser, UpdateMeBody } from '../../src/shared/schemas/users'
import { notFound } from '../errors'
import type { UserRecord } from '../store/records'
import type { UserPatch, UserRepo } from '../store/types'

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    statusText: user.statusText,
    avatar: user.avatar ?? null,
    createdAt: user.createdAt,
    ...(user.bot ? { bot: true } : {})
  }
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
  constructor(private readonly users: UserRepo) {}

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
    return toMe(await this.users.update(id, changes))
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
