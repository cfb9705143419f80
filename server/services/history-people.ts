// The people a page of history names who are no longer members. A client that
// never met them (a fresh sign-in, another device) learns their profiles with
// the page, so "Alice removed Bob" never reads "removed someone". Only members
// read a page, and it names nobody they could not already see in it.
import type { Message } from '../../src/shared/schemas/messages'
import type { PublicUser } from '../../src/shared/schemas/users'
import type { Store } from '../store/types'
import { toPublicUser } from './users.service'

/** Every user id a message names: its sender, the people of a system event, mentions, the quoted author and who reacted. */
export function namedUserIds(messages: readonly Message[]): Set<string> {
  const ids = new Set<string>()
  for (const m of messages) {
    ids.add(m.senderId)
    const event = m.system
    if (event && 'userId' in event) ids.add(event.userId)
    if (event && 'userIds' in event) for (const id of event.userIds) ids.add(id)
    for (const id of m.mentions ?? []) ids.add(id)
    if (m.replyTo) ids.add(m.replyTo.senderId)
    for (const who of Object.values(m.reactions ?? {})) for (const id of who) ids.add(id)
  }
  return ids
}

/** Profiles of those named in `messages` who are not members of the conversation now (usually none: no user read). */
export async function formerMembersNamed(store: Store, conversationId: string, messages: readonly Message[]): Promise<PublicUser[]> {
  if (messages.length === 0) return []
  const members = new Set((await store.conversations.members(conversationId)).map((m) => m.userId))
  const former = [...namedUserIds(messages)].filter((id) => !members.has(id))
  if (former.length === 0) return []
  return (await store.users.byIds(former)).map(toPublicUser)
}
