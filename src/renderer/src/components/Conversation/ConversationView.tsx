import { useStore } from '../../store'
import { Composer } from './Composer'
import { ConversationHeader } from './ConversationHeader'
import { MessageList } from './MessageList'
import { TypingIndicator } from './TypingIndicator'
import './Conversation.css'

export function ConversationView({ conversationId }: { conversationId: string }): React.JSX.Element {
  const generation = useStore((s) => s.threads[conversationId]?.generation ?? 0)
  return (
    <section className="conversation" aria-label="Open conversation">
      <ConversationHeader conversationId={conversationId} />
      <MessageList key={`${conversationId}:${generation}`} conversationId={conversationId} />
      <TypingIndicator conversationId={conversationId} />
      <Composer key={conversationId} conversationId={conversationId} />
    </section>
  )
}
