import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { useStore } from '../../store'
import { memberName } from '../../store/selectors'

/**
 * Who a message shows as: a webhook's or bot's message by its botProfile name
 * (Slack's username), anyone else by their name; and whether it is a bot.
 */
export function messageSender(m: Message, c: Conversation): { name: string; bot: boolean } {
  const user = c.members.find((x) => x.user.id === m.senderId)?.user ?? useStore.getState().people[m.senderId]
  return { name: m.botProfile?.name ?? memberName(c, m.senderId), bot: m.botProfile !== undefined || user?.bot === true }
}
