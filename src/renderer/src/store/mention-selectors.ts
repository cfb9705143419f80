// What a message's mention chips are drawn from: the conversation's members
// (and people seen before, for former members) and the user groups.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { UserGroup } from '../../../shared/schemas/user-groups'
import type { ChipSources } from '../lib/mention-chips'
import { memberName } from './selectors'
import { useStore } from '.'
import type { AppState } from './types'

/** The server's user groups, by id (the userGroups slice). */
export const selectUserGroups = (s: AppState): Readonly<Record<string, UserGroup>> => s.userGroups

/** A mentioned user's username and current name, as the conversation shows it. */
export function chipUser(c: Conversation, id: string): ReturnType<ChipSources['user']> {
  const user = c.members.find((m) => m.user.id === id)?.user ?? useStore.getState().people[id]
  return user ? { username: user.username, name: memberName(c, id) } : undefined
}
