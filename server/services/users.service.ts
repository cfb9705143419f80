import type { PublicUser, UpdateMeBody } from '../../src/shared/schemas/users'
import { notFound } from '../errors'
import type { UserRecord } from '../store/records'
import type { UserRepo } from '../store/types'

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    statusText: user.statusText,
    createdAt: user.createdAt
  }
}

export class UserService {
  constructor(private readonly users: UserRepo) {}

  get(id: string): PublicUser {
    const user = this.users.byId(id)
    if (!user) throw notFound('user')
    return toPublicUser(user)
  }

  async update(id: string, patch: UpdateMeBody): Promise<PublicUser> {
    if (!this.users.byId(id)) throw notFound('user')
    const changes: Partial<Pick<UserRecord, 'displayName' | 'statusText'>> = {}
    if (patch.displayName !== undefined) changes.displayName = patch.displayName
    if (patch.statusText !== undefined) changes.statusText = patch.statusText
    return toPublicUser(await this.users.update(id, changes))
  }

  search(q: string | undefined, limit: number): PublicUser[] {
    return this.users.search(q ?? '', limit).map(toPublicUser)
  }
}
