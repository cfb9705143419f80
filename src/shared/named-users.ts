import type { Message } from './schemas/messages'

/**
 * Every user id the messages name: the sender, the people of a system event,
 * mentions, the quoted author and who reacted; added to `into`, which is
 * answered. What a page's people (server) and an export's people list.
 */
export function namedUserIds(messages: readonly Message[], into: Set<string> = new Set()): Set<string> {
  for (const m of messages) {
    into.add(m.senderId)
    const event = m.system
    if (event && 'userId' in event) into.add(event.userId)
    if (event && 'userIds' in event) for (const id of event.userIds) into.add(id)
    for (const id of m.mentions ?? []) into.add(id)
    if (m.replyTo) into.add(m.replyTo.senderId)
    for (const who of Object.values(m.reactions ?? {})) for (const id of who) into.add(id)
  }
  return into
}
