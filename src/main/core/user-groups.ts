// User groups (issue 20) in the client core: the whole list is fetched at
// every (re)connection, since events may have been missed meanwhile, and kept
// by the server's user-groups:updated events; the window gets the whole list
// after each change (there are a few dozen groups at most).
import { z } from 'zod'
import { UserGroup, UserGroupsResponse } from '../../shared/schemas/user-groups'
import type { AccountContext } from './context'
import { fromServer } from './server-data'

const UserGroupChange = z.object({ userGroup: UserGroup.optional(), removedId: z.string().optional() })

/** Fetches every group into the cache and tells the window. */
export async function refreshUserGroups(ctx: AccountContext): Promise<UserGroup[]> {
  const { userGroups } = fromServer(UserGroupsResponse, await ctx.session.request('GET', '/user-groups'), 'user group list')
  const kept = ctx.cache.setUserGroups(userGroups)
  ctx.events.emit('userGroups', kept)
  return kept
}

/** Keeps one made, changed or deleted group (from the server's event or an answer of this app's own change). */
export function applyUserGroupChange(ctx: AccountContext, payload: unknown): void {
  const { userGroup, removedId } = fromServer(UserGroupChange, payload, 'user group change')
  const gone = removedId ?? userGroup?.id
  const rest = ctx.cache.userGroups().filter((g) => g.id !== gone)
  ctx.events.emit('userGroups', ctx.cache.setUserGroups(userGroup ? [...rest, userGroup] : rest))
}
