import { memo, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { listTime, preview } from '../../lib/format'
import { useStore } from '../../store'
import { selectCallIn } from '../../store/calls'
import { selectDraftPreview } from '../../store/drafts'
import { conversationTitle, otherMember, selectMeId, shownPresence } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { DndMark } from '../Attention/DndMark'
import { StatusEmoji } from '../Attention/StatusEmoji'
import { Icon } from '../Icon/Icon'
import { MentionBadge } from './MentionBadge'

/** One conversation in the sidebar; re-renders only when its own data changes. */
export const ConversationRow = memo(function ConversationRow({ id }: { id: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[id])
  const meId = useStore(selectMeId)
  const active = useStore((s) => s.activeId === id)
  const other = c ? otherMember(c, meId) : undefined
  const presence = useStore((s) => shownPresence(s, other?.user.id))
  const pending = useStore((s) => s.pending[id]?.length ?? 0)
  const muted = useStore((s) => !!s.muted[id])
  const calling = useStore((s) => selectCallIn(id)(s) !== undefined)
  const draft = useStore(selectDraftPreview(id))
  const domId = useId()
  if (!c) return null
  const title = conversationTitle(c, meId)
  const time = c.lastMessage?.createdAt ?? c.createdAt
  return (
    <li
      role="option"
      aria-describedby={`${calling ? `${domId}-call ` : ''}${domId}-preview ${domId}-time`}
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      className={`conversation-row${active ? ' active' : ''}${c.unreadCount ? ' unread' : ''}`}
      onClick={() => useStore.getState().openConversation(id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') useStore.getState().openConversation(id)
      }}
      data-conversation-id={id}
    >
      <Avatar name={title} image={c.avatar ?? other?.user.avatar ?? null} presence={presence === 'unknown' ? null : presence} />
      <DndMark userId={other?.user.id} decorative />
      <div className="conversation-text">
        <div className="row">
          {/* Named by its title, as seen, then muted and unread; the preview and time describe it. */}
          <span className="conversation-title">
            {c.kind === 'room' ? <span aria-hidden="true"># </span> : null}
            {title}
            <StatusEmoji user={other?.user} decorative />
            <span className="sr-inline">{`${muted ? t('shell.sidebar.row.muted') : ''}${c.unreadCount ? t('shell.sidebar.row.unread', { count: c.unreadCount }) : ''}`}</span>
          </span>
          <span className="spacer" />
          <time id={`${domId}-time`} className="conversation-time" dateTime={time} aria-hidden="true">
            {listTime(time)}
          </time>
        </div>
        <div className="row">
          <span id={`${domId}-preview`} className="conversation-preview" aria-hidden="true">{pending ? (
              t('shell.sidebar.row.sending', { count: pending })
            ) : draft ? (
              <span className="conversation-draft">{t('shell.sidebar.row.draft', { text: draft })}</span>
            ) : (
              preview(c.lastMessage, c, meId)
            )}
          </span>
          <span className="spacer" />
          {calling ? (
            <span className="call-row-mark" data-testid="call-running" title={t('calls.row')} aria-hidden="true">
              <Icon name="call" size={14} />
              <span id={`${domId}-call`} className="visually-hidden">
                {t('calls.row')}
              </span>
            </span>
          ) : null}
          {muted ? (
            <span className="muted-mark" title={t('shell.sidebar.row.mutedTitle')}>
              <Icon name="bellOff" size={14} />
            </span>
          ) : null}
          {c.mentionCount ? <MentionBadge count={c.mentionCount} /> : null}
          {c.unreadCount ? (
            <span className={`badge${muted ? ' badge-muted' : ''}`} aria-hidden="true">
              {c.unreadCount > 99 ? '99+' : c.unreadCount}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  )
})
