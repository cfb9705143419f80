// User groups (@design, issue 20): the whole list from main's cache at
// sign-in and after each change main tells (its `userGroups` event carries
// the list), by id; changes go through main and show at once.
import type { CreateUserGroupBody, PatchUserGroupBody, UserGroup } from '../../../shared/schemas/user-groups'
import { i18n } from '../i18n'
import { api, unwrap } from '../lib/api'
import type { AppState, Slice } from './types'

export interface UserGroupsSlice {
  userGroups: Record<string, UserGroup>
  setUserGroups(list: readonly UserGroup[]): void
  loadUserGroups(): Promise<void>
  /** Server admins. */
  createUserGroup(body: CreateUserGroupBody): Promise<UserGroup>
  /** Server admins: anything; managers: name and members. */
  updateUserGroup(id: string, patch: PatchUserGroupBody): Promise<UserGroup>
  /** Asks first (store.confirm); false when the person cancelled. */
  deleteUserGroup(group: UserGroup): Promise<boolean>
}

export const createUserGroupsSlice: Slice<UserGroupsSlice> = (set, get) => {
  const keep = (group: UserGroup): UserGroup => {
    set((s) => ({ userGroups: { ...s.userGroups, [group.id]: group } }))
    return group
  }
  return {
    userGroups: {},
    setUserGroups(list) {
      set({ userGroups: Object.fromEntries(list.map((g) => [g.id, g])) })
    },
    async loadUserGroups() {
      get().setUserGroups(await unwrap(api().userGroups.list()))
    },
    async createUserGroup(body) {
      return keep(await unwrap(api().userGroups.create(body)))
    },
    async updateUserGroup(id, patch) {
      return keep(await unwrap(api().userGroups.update({ userGroupId: id, patch })))
    },
    async deleteUserGroup(group) {
      const t = i18n.t
      const yes = await get().confirm({
        title: t('userGroups.delete.title', { handle: group.handle }),
        body: t('userGroups.delete.body'),
        action: t('userGroups.delete.action')
      })
      if (!yes) return false
      await unwrap(api().userGroups.delete({ userGroupId: group.id }))
      set((s) => {
        const { [group.id]: _gone, ...rest } = s.userGroups
        return { userGroups: rest }
      })
      return true
    }
  }
}

const byHandle = (a: UserGroup, b: UserGroup): number => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0)

/** Every group, by handle (use with useShallow). */
export const selectUserGroupList = (s: AppState): UserGroup[] => Object.values(s.userGroups).sort(byHandle)

/** The groups the signed-in user may change without being a server admin (use with useShallow). */
export const selectManagedUserGroups = (s: AppState): UserGroup[] => {
  const me = s.session?.status === 'signed_in' ? s.session.me.id : null
  return me === null ? [] : selectUserGroupList(s).filter((g) => g.managerIds.includes(me))
}
