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
  const { userGroups, people = [] } = fromServer(UserGroupsResponse, await ctx.session.request('GET', '/user-groups'), 'user group list')
  // Members may be people this account never met: the window names them from its directory.
  const met = ctx.cache.putPeople(people)
  if (met.length) ctx.events.emit('people', met)
  const kept = ctx.cache.setUserGroups(userGroups)
  ctx.events.emit('userGroups', kept)
  return kept
}

/**
 * Keeps one made, changed or deleted group (from the server's event or an
 * answer of this app's own change); answers whether it names people the
 * cache does not know (then refresh, which brings them).
 */
export function applyUserGroupChange(ctx: AccountContext, payload: unknown): boolean {
  const { userGroup, removedId } = fromServer(UserGroupChange, payload, 'user group change')
  const gone = removedId ?? userGroup?.id
  const rest = ctx.cache.userGroups().filter((g) => g.id !== gone)
  ctx.events.emit('userGroups', ctx.cache.setUserGroups(userGroup ? [...rest, userGroup] : rest))
  const known = new Set(ctx.cache.people().map((p) => p.id))
  return [...(userGroup?.memberIds ?? []), ...(userGroup?.managerIds ?? [])].some((id) => !known.has(id))
}

/** A change from the server: kept at once, and the list fetched again when it names people not met yet. */
export async function onUserGroupChange(ctx: AccountContext, payload: unknown): Promise<void> {
  if (applyUserGroupChange(ctx, payload)) await refreshUserGroups(ctx)
}
