import { randomUUID } from 'node:crypto'
import type { CreateUserGroupBody, PatchUserGroupBody, UserGroup } from '../../src/shared/schemas/user-groups'
import type { PublicUser } from '../../src/shared/schemas/users'
import { AppError, forbidden, notFound } from '../errors'
import type { UserGroupRecord } from '../store/records'
import type { Store } from '../store/types'
import { toPublicUser } from './users.service'

export const toUserGroup = (g: UserGroupRecord): UserGroup => ({
  id: g.id,
  handle: g.handle,
  name: g.name,
  memberIds: g.memberIds,
  managerIds: g.managerIds,
  createdBy: g.createdBy,
  createdAt: g.createdAt
})

const handleTaken = (handle: string): AppError => new AppError('handle_taken', `body.handle: @${handle} is already taken by another user group or a username`)

/** What a group's change tells every signed-in user. */
export interface UserGroupChange {
  userGroup?: UserGroup
  removedId?: string
}

/**
 * User groups (@design). Anyone signed in lists them (the composer offers
 * them); server admins make, change and delete them; a group's managers
 * change its name and members, while its handle and managers stay the
 * admins' (a handle is what people type, and managers decide who manages).
 */
export class UserGroupService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now
  ) {}

  /** Every group, and the people in them (a member may be someone the caller never met). */
  async list(): Promise<{ userGroups: UserGroup[]; people: PublicUser[] }> {
    const groups = await this.store.userGroups.all()
    const ids = new Set(groups.flatMap((g) => [...g.memberIds, ...g.managerIds]))
    return { userGroups: groups.map(toUserGroup), people: (await this.store.users.byIds([...ids])).map(toPublicUser) }
  }

  async create(callerId: string, body: CreateUserGroupBody): Promise<UserGroup> {
    const memberIds = await this.accounts(body.memberIds, 'memberIds')
    const managerIds = await this.accounts(body.managerIds ?? [], 'managerIds')
    const record: UserGroupRecord = {
      id: randomUUID(),
      handle: body.handle,
      name: body.name,
      memberIds,
      managerIds,
      createdBy: callerId,
      createdAt: new Date(this.now()).toISOString()
    }
    // In the sign-ups' section: a username and a handle are checked against each other on every node.
    await this.store.locks.run('sign-up', async () => {
      if (await this.store.users.byUsername(body.handle)) throw handleTaken(body.handle)
      if (!(await this.store.userGroups.create(record))) throw handleTaken(body.handle)
    })
    return toUserGroup(record)
  }

  async update(callerId: string, id: string, body: PatchUserGroupBody): Promise<UserGroup> {
    const group = await this.store.userGroups.byId(id)
    if (!group) throw notFound('user group')
    const admin = await this.isAdmin(callerId)
    if (!admin) {
      if (!group.managerIds.includes(callerId)) throw forbidden("only a server admin or the group's managers may change a user group")
      if (body.handle !== undefined || body.managerIds !== undefined) throw forbidden("only a server admin may change a user group's handle or managers")
    }
    const patch = {
      name: body.name,
      handle: body.handle,
      memberIds: body.memberIds && (await this.accounts(body.memberIds, 'memberIds')),
      managerIds: body.managerIds && (await this.accounts(body.managerIds, 'managerIds'))
    }
    const change = async (): Promise<UserGroup> => {
      const updated = await this.store.userGroups.update(id, patch)
      if (updated === undefined) throw notFound('user group')
      if (updated === 'handle_taken') throw handleTaken(body.handle!)
      return toUserGroup(updated)
    }
    if (body.handle === undefined || body.handle === group.handle) return change()
    return this.store.locks.run('sign-up', async () => {
      if (await this.store.users.byUsername(body.handle!)) throw handleTaken(body.handle!)
      return change()
    })
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.userGroups.delete(id))) throw notFound('user group')
  }

  /** Whether a handle is a user group's (sign-up refuses such usernames). */
  async handleInUse(handle: string): Promise<boolean> {
    return (await this.store.userGroups.byHandle(handle.toLowerCase())) !== undefined
  }

  private async isAdmin(userId: string): Promise<boolean> {
    return (await this.store.users.byId(userId))?.serverAdmin === true
  }

  /** The ids without repeats, each an existing, enabled account; else 400 naming the first that is not. */
  private async accounts(ids: readonly string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)]
    const enabled = new Set((await this.store.users.byIds(unique)).filter((u) => !u.disabledAt).map((u) => u.id))
    const wrong = unique.find((uid) => !enabled.has(uid))
    if (wrong) throw new AppError('validation_failed', `body.${field}: ${wrong} is not an enabled account`)
    return unique
  }
}
