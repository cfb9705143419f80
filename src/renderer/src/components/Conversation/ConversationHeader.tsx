import { useTranslation } from 'react-i18next'
import { lastSeen } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, otherMember, selectMeId, shownLastSeen, shownPresence } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { DndMark } from '../Attention/DndMark'
import { NotifyMenu } from '../Attention/NotifyMenu'
import { StatusEmoji } from '../Attention/StatusEmoji'
import { CallButtons } from '../Call/CallButtons'
import { PinsButton } from '../Pins/PinsButton'

export function ConversationHeader({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[conversationId])
  const meId = useStore(selectMeId)
  const other = c ? otherMember(c, meId) : undefined
  const presence = useStore((s) => shownPresence(s, other?.user.id))
  const seenAt = useStore((s) => shownLastSeen(s, other?.user.id))
  if (!c) return null
  const title = conversationTitle(c, meId)
  const subtitle = other
    ? presence === 'online'
      ? t('chat.presence.online')
      : presence === 'away'
        ? t('chat.presence.away')
        : presence === 'unknown' && !seenAt
          ? t('chat.presence.unknown')
          : lastSeen(seenAt)
    : c.kind === 'room'
      ? t('chat.header.roomMembers', { count: c.members.length })
      : t('chat.header.members', { count: c.members.length })
  return (
    <header className="conversation-header">
      <Avatar name={title} image={c.avatar ?? other?.user.avatar ?? null} size={36} presence={presence === 'unknown' ? null : presence} />
      <DndMark userId={other?.user.id} />
      <div className="conversation-header-text">
        <div className="row">
          <h1>{title}</h1>
          <StatusEmoji user={other?.user} />
        </div>
        <span
          className={`muted${presence === 'unknown' ? ' presence-unknown' : ''}`}
          data-testid="conversation-subtitle"
          title={presence === 'unknown' ? t('chat.presence.unknownTitle') : undefined}
        >
          {subtitle}
        </span>
      </div>
      <span className="spacer" />
      <CallButtons conversationId={conversationId} />
      <PinsButton conversationId={conversationId} />
      <NotifyMenu conversationId={conversationId} />
      <button className="btn" onClick={() => useStore.getState().openDialog({ kind: 'export', conversationId })}>
        {t('chat.header.export')}
      </button>
      <button className="btn" onClick={() => useStore.getState().openDialog({ kind: 'group-settings', conversationId })}>
        {c.kind === 'direct' ? t('chat.header.details') : t('chat.header.settings')}
      </button>
    </header>
  )
}
