// Under a thread's root in the conversation: "3 replies · Alice, Bob · last
// reply 10:42"; a click opens the thread panel.
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { ThreadSummary } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'
import { listTime } from '../../lib/format'
import { useStore } from '../../store'
import { memberName } from '../../store/selectors'

export function ThreadSummaryLine({ conversation: c, rootSeq, summary }: { conversation: Conversation; rootSeq: number; summary: ThreadSummary }): React.JSX.Element | null {
  // Rows use i18n.t (see MessageItem's useLanguage): re-rendered with their row.
  const t = i18n.t
  if (summary.replyCount === 0) return null
  const parts = [
    t('threads.summary.replies', { count: summary.replyCount }),
    summary.participantIds.map((id) => memberName(c, id)).join(', '),
    summary.lastReplyAt ? t('threads.summary.lastReply', { time: listTime(summary.lastReplyAt) }) : ''
  ].filter(Boolean)
  const text = parts.join(' · ')
  return (
    <button className="thread-summary" data-testid="thread-summary" aria-label={t('threads.summary.open', { summary: text })} onClick={() => void useStore.getState().openThread(c.id, rootSeq)}>
      {text}
    </button>
  )
}
