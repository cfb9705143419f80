import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { CallView } from '../Call/CallView'
import { JoinBanner } from '../Call/JoinBanner'
import { ErrorLine } from '../dialogs/ErrorLine'
import { Composer } from './Composer'
import { DndNote } from '../Attention/DndNote'
import { ConversationHeader } from './ConversationHeader'
import { MessageList } from './MessageList'
import { MessageMenu } from './MessageMenu'
import { TypingIndicator } from './TypingIndicator'
import './Conversation.css'

export function ConversationView({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const generation = useStore((s) => s.threads[conversationId]?.generation ?? 0)
  const [dropping, setDropping] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const hasFiles = (e: React.DragEvent): boolean => e.dataTransfer.types.includes('Files')
  return (
    <section
      className={`conversation${dropping ? ' dropping' : ''}`}
      aria-label={t('chat.openConversation')}
      onDragOver={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        setDropping(true)
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false)
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        setDropping(false)
        setError(null)
        // Into the preview (the composer shows it), where a caption can be added or a file removed.
        useStore
          .getState()
          .previewFiles(conversationId, [...e.dataTransfer.files])
          .catch((err: unknown) => setError((err as Error).message))
      }}
    >
      <ConversationHeader conversationId={conversationId} />
      <JoinBanner conversationId={conversationId} />
      <CallView conversationId={conversationId} />
      <ErrorLine error={error} />
      <MessageList key={`${conversationId}:${generation}`} conversationId={conversationId} />
      <MessageMenu conversationId={conversationId} />
      <TypingIndicator conversationId={conversationId} />
      <DndNote conversationId={conversationId} />
      <Composer key={conversationId} conversationId={conversationId} />
    </section>
  )
}
