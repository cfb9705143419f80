import { memo } from 'react'
import { listTime, preview } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, otherMember, selectMeId, shownPresence } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Icon } from '../Icon/Icon'

/** One conversation in the sidebar; re-renders only when its own data changes. */
export const ConversationRow = memo(function ConversationRow({ id }: { id: string }): React.JSX.Element | null {
  const c = useStore((s) => s.conversations[id])
  const meId = useStore(selectMeId)
  const active = useStore((s) => s.activeId === id)
  const other = c ? otherMember(c, meId) : undefined
  const presence = useStore((s) => shownPresence(s, other?.user.id))
  const pending = useStore((s) => s.pending[id]?.length ?? 0)
  const muted = useStore((s) => !!s.muted[id])
  if (!c) return null
  const title = conversationTitle(c, meId)
  const time = c.lastMessage?.createdAt ?? c.createdAt
  return (
    <li
      role="option"
      aria-selected={active}
      aria-label={`${title}${muted ? ', muted' : ''}${c.unreadCount ? `, ${c.unreadCount} unread` : ''}`}
      tabIndex={active ? 0 : -1}
      className={`conversation-row${active ? ' active' : ''}${c.unreadCount ? ' unread' : ''}`}
      onClick={() => useStore.getState().openConversation(id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') useStore.getState().openConversation(id)
      }}
      data-conversation-id={id}
    >
      <Avatar name={title} image={c.avatar ?? other?.user.avatar ?? null} presence={presence === 'unknown' ? null : presence} />
      <div className="conversation-text">
        <div className="row">
          <span className="conversation-title">
            {c.kind === 'room' ? '# ' : ''}
            {title}
          </span>
          <span className="spacer" />
          <time className="conversation-time" dateTime={time}>
            {listTime(time)}
          </time>
        </div>
        <div className="row">
          <span className="conversation-preview">{pending ? `Sending ${pending}…` : preview(c.lastMessage, c, meId)}</span>
          <span className="spacer" />
          {muted ? (
            <span className="muted-mark" title="Muted">
              <Icon name="bellOff" size={14} />
            </span>
          ) : null}
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
