import { memo } from 'react'
import { i18n, useLanguage } from '../../i18n'
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { clock, dayLabel, systemText } from '../../lib/format'
import { useStore } from '../../store'
import { memberName } from '../../store/selectors'
import { chipUser, selectUserGroups } from '../../store/mention-selectors'
import { mentionChips } from '../../lib/mention-chips'
import { Avatar } from '../Avatar/Avatar'
import { Attachments } from './Attachments'
import { MessageText } from './MessageText'
import { LinkPreviewCard } from './LinkPreviewCard'
import { MessageActions } from './MessageActions'
import { PinnedMarker } from '../Pins/PinnedMarker'
import { Forwarded } from './Forwarded'
import { MessageLinks } from './MessageLinks'
import { menuPosition } from './MessageMenu'
import { Reactions } from './Reactions'
import { Ticks } from './Ticks'
import { inConversation } from '../../../../shared/threads'
import { ThreadSummaryLine } from '../Threads/ThreadSummaryLine'
import { BotBadge } from '../Bots/BotBadge'
import { messageSender } from '../Bots/sender'

interface Props {
  message: Message
  conversation: Conversation
  meId: string | null
  /** Same sender as the message above, shortly before: no name or avatar again. */
  grouped: boolean
  daySeparator: boolean
  newDivider: boolean
  highlighted: boolean
  /** Shown in the thread panel: no summary line, no "reply in thread". */
  inThread?: boolean
}

export const MessageItem = memo(function MessageItem(p: Props): React.JSX.Element {
  const { message: m, conversation: c } = p
  // Shown again in a new language, with what it holds (rows use i18n.t, not useTranslation: see useLanguage).
  useLanguage()
  const t = i18n.t
  // Re-render when the directory grows: a page's former members may be learnt just after the page is shown.
  useStore((s) => s.people)
  const groups = useStore(selectUserGroups)
  const head = (
    <>
      {p.daySeparator ? (
        <div className="day-separator" role="separator">
          <span>{dayLabel(m.createdAt)}</span>
        </div>
      ) : null}
      {p.newDivider ? (
        <div className="new-divider" role="separator" aria-label={t('chat.newMessages')}>
          <span>{t('chat.newMessages')}</span>
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
  // A reply only in its thread: an empty row keeps the window's seqs contiguous (the panel shows it).
  if (!p.inThread && !inConversation(m)) return <div className="message-row thread-only" data-seq={m.seq} aria-hidden="true" />
  const mine = m.senderId === p.meId
  const sender = messageSender(m, c)
  const name = sender.name
  return (
    <div className="message-row" data-seq={m.seq}>
      {head}
      <div
        className={`message${mine ? ' mine' : ''}${p.grouped ? ' grouped' : ''}${p.highlighted ? ' highlighted' : ''}`}
        aria-label={t('chat.messageLabel', { name, time: clock(m.createdAt) })}
        onContextMenu={
          m.deletedAt
            ? undefined
            : (e) => {
                // Right click, Shift+F10 or the context-menu key (on the focused bar): the message's menu (issue 20).
                e.preventDefault()
                useStore.getState().openMessageMenu(c.id, m.seq, menuPosition(e))
              }
        }
      >
        <div className="message-gutter">{!p.grouped && !mine ? <Avatar name={name} image={m.botProfile ? null : (c.members.find((x) => x.user.id === m.senderId)?.user.avatar ?? null)} size={32} /> : null}</div>
        <div className="message-main">
          {!p.grouped && !mine ? <div className="message-sender">
              {name}
              {sender.bot ? <BotBadge /> : null}
            </div> : null}
          <div className="bubble">
            {m.replyTo ? (
              <button className="reply-quote" onClick={() => void useStore.getState().focusMessage(c.id, m.replyTo!.seq)} aria-label={t('chat.replyTo', { name: memberName(c, m.replyTo.senderId), text: m.replyTo.preview })}>
                <strong>{memberName(c, m.replyTo.senderId)}</strong>
                <span>{m.replyTo.preview}</span>
              </button>
            ) : null}
            {m.forwarded && !m.deletedAt ? <Forwarded from={m.forwarded} /> : null}
            {m.attachments?.length && !m.deletedAt ? <Attachments conversationId={c.id} files={m.attachments} /> : null}
            {m.deletedAt ? <em className="muted">{t('chat.deleted')}</em> : <MessageText text={m.text} chips={mentionChips(m, { meId: p.meId, user: (id) => chipUser(c, id), groups })} />}
            {m.deletedAt ? null : <MessageLinks text={m.text} />}
            {m.preview && !m.deletedAt ? <LinkPreviewCard conversationId={c.id} seq={m.seq} preview={m.preview} mine={mine} /> : null}
            <span className="message-meta">
              <PinnedMarker conversationId={c.id} seq={m.seq} />
              {m.editedAt && !m.deletedAt ? <span className="edited">{t('chat.edited')}</span> : null}
              <time dateTime={m.createdAt}>{clock(m.createdAt)}</time>
              {mine ? <Ticks conversation={c} message={m} /> : null}
            </span>
          </div>
          {m.reactions ? <Reactions conversationId={c.id} seq={m.seq} reactions={m.reactions} /> : null}
          {m.thread && !p.inThread ? <ThreadSummaryLine conversation={c} rootSeq={m.seq} summary={m.thread} /> : null}
        </div>
        {!m.deletedAt ? <MessageActions message={m} conversation={c} inThread={p.inThread} /> : null}
      </div>
    </div>
  )
})
