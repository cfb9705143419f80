// The people a page of history names who are no longer members. A client that
// never met them (a fresh sign-in, another device) learns their profiles with
// the page, so "Alice removed Bob" never reads "removed someone". Only members
// read a page, and it names nobody they could not already see in it.
import { namedUserIds } from '../../src/shared/named-users'
import type { Message } from '../../src/shared/schemas/messages'
import type { PublicUser } from '../../src/shared/schemas/users'
import type { Store } from '../store/types'
import { toPublicUser } from './users.service'

/** Profiles of those named in `messages` who are not members of the conversation now (usually none: no user read). */
export async function formerMembersNamed(store: Store, conversationId: string, messages: readonly Message[]): Promise<PublicUser[]> {
  if (messages.length === 0) return []
  const members = new Set((await store.conversations.members(conversationId)).map((m) => m.userId))
  const former = [...namedUserIds(messages)].filter((id) => !members.has(id))
  if (former.length === 0) return []
  return (await store.users.byIds(former)).map(toPublicUser)
}
