import { memo, useState } from 'react'
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { clock, dayLabel, systemText } from '../../lib/format'
import { useStore } from '../../store'
import { memberName, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Attachments } from './Attachments'
import { Icon } from '../Icon/Icon'
import { MessageText } from './MessageText'
import { QUICK_EMOJI, Reactions } from './Reactions'
import { Ticks } from './Ticks'

interface Props {
  message: Message
  conversation: Conversation
  meId: string | null
  /** Same sender as the message above, shortly before: no name or avatar again. */
  grouped: boolean
  daySeparator: boolean
  newDivider: boolean
  highlighted: boolean
}

export const MessageItem = memo(function MessageItem(p: Props): React.JSX.Element {
  const { message: m, conversation: c } = p
  // Re-render when the directory grows: a page's former members may be learnt just after the page is shown.
  useStore((s) => s.people)
  const head = (
    <>
      {p.daySeparator ? (
        <div className="day-separator" role="separator">
          <span>{dayLabel(m.createdAt)}</span>
        </div>
      ) : null}
      {p.newDivider ? (
        <div className="new-divider" role="separator" aria-label="New messages">
          <span>New messages</span>
        </div>
      ) : null}
    </>
  )
  if (m.kind === 'system') {
    return (
      <div className="message-row" data-seq={m.seq}>
        {head}
        <div className="system-message">{systemText(m, c)}</div>
      </div>
    )
  }
  const mine = m.senderId === p.meId
  const name = memberName(c, m.senderId)
  return (
    <div className="message-row" data-seq={m.seq}>
      {head}
      <div className={`message${mine ? ' mine' : ''}${p.grouped ? ' grouped' : ''}${p.highlighted ? ' highlighted' : ''}`} aria-label={`${name} at ${clock(m.createdAt)}`}>
        <div className="message-gutter">{!p.grouped && !mine ? <Avatar name={name} image={c.members.find((x) => x.user.id === m.senderId)?.user.avatar ?? null} size={32} /> : null}</div>
        <div className="message-main">
          {!p.grouped && !mine ? <div className="message-sender">{name}</div> : null}
          <div className="bubble">
            {m.replyTo ? (
              <button className="reply-quote" onClick={() => void useStore.getState().focusMessage(c.id, m.replyTo!.seq)} aria-label={`Reply to ${memberName(c, m.replyTo.senderId)}: ${m.replyTo.preview}`}>
                <strong>{memberName(c, m.replyTo.senderId)}</strong>
                <span>{m.replyTo.preview}</span>
              </button>
            ) : null}
            {m.attachments?.length && !m.deletedAt ? <Attachments conversationId={c.id} files={m.attachments} /> : null}
            {m.deletedAt ? <em className="muted">This message was deleted</em> : <MessageText text={m.text} />}
            <span className="message-meta">
              {m.editedAt && !m.deletedAt ? <span className="edited">edited</span> : null}
              <time dateTime={m.createdAt}>{clock(m.createdAt)}</time>
              {mine ? <Ticks conversation={c} message={m} /> : null}
            </span>
          </div>
          {m.reactions ? <Reactions conversationId={c.id} seq={m.seq} reactions={m.reactions} /> : null}
        </div>
        {!m.deletedAt ? <MessageActions message={m} conversation={c} mine={mine} /> : null}
      </div>
    </div>
  )
})

function MessageActions({ message: m, conversation: c, mine }: { message: Message; conversation: Conversation; mine: boolean }): React.JSX.Element {
  const [picking, setPicking] = useState(false)
  const store = useStore.getState
  const meId = useStore(selectMeId)
  // Admins of a group or room may delete anyone's message.
  const admin = c.kind !== 'direct' && c.members.some((x) => x.user.id === meId && x.role === 'admin')
  return (
    <div className="message-actions">
      <button className="icon-btn" aria-label="Reply" title="Reply" onClick={() => store().setDraft(c.id, { replyTo: m.seq, editing: null })}>
        <Icon name="reply" />
      </button>
      <button className="icon-btn" aria-label="React" title="React" aria-expanded={picking} onClick={() => setPicking(!picking)}>
        <Icon name="smile" />
      </button>
      {picking ? (
        <span className="emoji-picker" role="menu" aria-label="Pick a reaction">
          {QUICK_EMOJI.map((e) => (
            <button
              key={e}
              role="menuitem"
              className="icon-btn"
              aria-label={`React with ${e}`}
              onClick={() => {
                setPicking(false)
                void store().react(c.id, m.seq, e)
              }}
            >
              {e}
            </button>
          ))}
        </span>
      ) : null}
      {mine ? (
        <>
          <button className="icon-btn" aria-label="Edit" title="Edit" onClick={() => store().setDraft(c.id, { editing: m.seq, replyTo: null })}>
            <Icon name="edit" />
          </button>
          <button className="icon-btn" aria-label="Read by" title="Read by" onClick={() => store().openDialog({ kind: 'read-by', conversationId: c.id, seq: m.seq })}>
            <Icon name="info" />
          </button>
        </>
      ) : null}
      {mine || admin ? (
        <button
          className="icon-btn"
          aria-label="Delete for everyone"
          title="Delete for everyone"
          onClick={() => {
            if (window.confirm('Delete this message for everyone?')) void store().remove(c.id, m.seq)
          }}
        >
          <Icon name="trash" />
        </button>
      ) : null}
    </div>
  )
}
