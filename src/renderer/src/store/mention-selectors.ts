// What a message's mention chips are drawn from: the conversation's members
// (and people seen before, for former members) and the user groups.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { UserGroup } from '../../../shared/schemas/user-groups'
import type { ChipSources } from '../lib/mention-chips'
import { memberName } from './selectors'
import { useStore } from '.'
import type { AppState } from './types'

const NO_GROUPS: Readonly<Record<string, UserGroup>> = Object.freeze({})

/** The user groups slice (i20-ug) when present; until that branch merges, none. */
export const selectUserGroups = (s: AppState): Readonly<Record<string, UserGroup>> =>
  (s as AppState & { userGroups?: Record<string, UserGroup> }).userGroups ?? NO_GROUPS

/** A mentioned user's username and current name, as the conversation shows it. */
export function chipUser(c: Conversation, id: string): ReturnType<ChipSources['user']> {
  const user = c.members.find((m) => m.user.id === id)?.user ?? useStore.getState().people[id]
  return user ? { username: user.username, name: memberName(c, id) } : undefined
}
