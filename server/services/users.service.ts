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
    createdAt: user.createdAt
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

  get(id: string): PublicUser {
    const user = this.users.byId(id)
    if (!user) throw notFound('user')
    return toPublicUser(user)
  }

  /** The caller's own profile, with private settings. */
  me(id: string): Me {
    const user = this.users.byId(id)
    if (!user) throw notFound('user')
    return toMe(user)
  }

  async update(id: string, patch: UpdateMeBody): Promise<Me> {
    if (!this.users.byId(id)) throw notFound('user')
    const changes: UserPatch = {}
    if (patch.displayName !== undefined) changes.displayName = patch.displayName
    if (patch.statusText !== undefined) changes.statusText = patch.statusText
    if (patch.avatar !== undefined) changes.avatar = patch.avatar
    if (patch.hideLastSeen !== undefined) changes.hideLastSeen = patch.hideLastSeen
    if (patch.contactsOnlyDirect !== undefined) changes.contactsOnlyDirect = patch.contactsOnlyDirect
    if (patch.email !== undefined) changes.email = patch.email
    return toMe(await this.users.update(id, changes))
  }

  search(q: string | undefined, limit: number): PublicUser[] {
    return this.users.search(q ?? '', limit).map(toPublicUser)
  }
}
