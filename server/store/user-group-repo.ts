import type { DbData, UserGroupRecord } from './records'
import type { UserGroupRepo } from './types'

const byHandle = (a: UserGroupRecord, b: UserGroupRecord): number => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0)

/**
 * User groups inside the meta store's lowdb document (there are a few dozen
 * at most), with an index by handle. Check and change run with no await in
 * between, so two groups never get one handle.
 */
export class LowUserGroupRepo implements UserGroupRepo {
  private readonly handles = new Map<string, string>()

  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  /** Older documents get the missing collection. */
  load(): void {
    const data = this.data()
    data.userGroups ??= {}
    for (const group of Object.values(data.userGroups)) this.handles.set(group.handle, group.id)
  }

  private get groups(): Record<string, UserGroupRecord> {
    return this.data().userGroups!
  }

  create: UserGroupRepo['create'] = async (group) => {
    if (this.handles.has(group.handle)) return false
    this.groups[group.id] = group
    this.handles.set(group.handle, group.id)
    await this.writeNow()
    return true
  }

  byId: UserGroupRepo['byId'] = async (id) => this.groups[id]
  byIds: UserGroupRepo['byIds'] = async (ids) => ids.flatMap((id) => this.groups[id] ?? [])

  byHandle: UserGroupRepo['byHandle'] = async (handle) => {
    const id = this.handles.get(handle)
    return id === undefined ? undefined : this.groups[id]
  }

  all: UserGroupRepo['all'] = async () => Object.values(this.groups).sort(byHandle)

  update: UserGroupRepo['update'] = async (id, patch) => {
    const group = this.groups[id]
    if (!group) return undefined
    if (patch.handle !== undefined && patch.handle !== group.handle) {
      if (this.handles.has(patch.handle)) return 'handle_taken'
      this.handles.delete(group.handle)
      this.handles.set(patch.handle, id)
    }
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(group, { [key]: value })
    await this.writeNow()
    return group
  }

  delete: UserGroupRepo['delete'] = async (id) => {
    const group = this.groups[id]
    if (!group) return false
    delete this.groups[id]
    this.handles.delete(group.handle)
    await this.writeNow()
    return true
  }

  groupsOf: UserGroupRepo['groupsOf'] = async (userId) => Object.values(this.groups).filter((g) => g.memberIds.includes(userId)).sort(byHandle)
}
