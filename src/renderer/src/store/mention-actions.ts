// Issue 20 (mentions): the group setting of who may write @here and @all, as
// a store service (components call this, not window.messenger).
import type { BroadcastMentions } from '../../../shared/schemas/groups'
import { api, unwrap } from '../lib/api'
import { useStore } from '.'

export async function setBroadcastMentions(conversationId: string, broadcastMentions: BroadcastMentions): Promise<void> {
  const updated = await unwrap(api().conversations.update({ conversationId, broadcastMentions }))
  useStore.getState().applyConversations({ upserted: [updated], removed: [] })
}
