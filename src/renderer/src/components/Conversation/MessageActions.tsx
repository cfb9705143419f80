// The slim bar beside a message on hover or focus (issue 20): a few quick
// reactions, reply, reply in thread (not inside the thread panel) and "…",
// which opens the message's menu with everything else (MessageMenu).
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

const store = useStore.getState
/** The quick reactions of the bar; the rest are in the full picker. */
export const BAR_EMOJI = ['👍', '❤️', '😂']

/** The buttons' names, made once per language: every message row has these buttons, and t() is not free. */
const labelsByLanguage = new Map<string, Record<string, string>>()
function labels(): Record<string, string> {
  let l = labelsByLanguage.get(i18n.language)
  if (!l) {
    const t = i18n.t
    l = {
      reply: t('messageMenu.reply'),
      replyInThread: t('messageMenu.replyInThread'),
      more: t('messageMenu.more'),
      ...Object.fromEntries(BAR_EMOJI.map((e) => [e, t('chat.actions.reactWith', { emoji: e })]))
    }
    labelsByLanguage.set(i18n.language, l)
  }
  return l
}

export function MessageActions({ message: m, conversation: c, inThread }: { message: Message; conversation: Conversation; inThread?: boolean | undefined }): React.JSX.Element {
  // One per message row: re-rendered in a new language with its row (see useLanguage).
  const l = labels()
  const open = useStore((s) => s.messageMenu?.conversationId === c.id && s.messageMenu.seq === m.seq)
  const threads = !inThread && m.kind === 'text' && m.threadRoot === undefined
  return (
    <div className={`message-actions${open ? ' is-open' : ''}`}>
      {BAR_EMOJI.map((e) => (
        <button
          key={e}
          className="icon-btn quick-reaction"
          aria-label={l[e]}
          title={l[e]}
          onClick={() => void store().reportFailure(i18n.t('chat.reactions.notAdded'), () => store().react(c.id, m.seq, e))}
        >
          {e}
        </button>
      ))}
      <button className="icon-btn" aria-label={l['reply']} title={l['reply']} onClick={() => void store().runMenuItem('reply', c.id, m.seq)}>
        <Icon name="reply" />
      </button>
      {threads ? (
        <button className="icon-btn" aria-label={l['replyInThread']} title={l['replyInThread']} onClick={() => void store().runMenuItem('replyInThread', c.id, m.seq)}>
          <Icon name="thread" />
        </button>
      ) : null}
      <button
        className="icon-btn"
        data-more
        aria-label={l['more']}
        title={l['more']}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={(e) => {
          if (open) return store().closeMessageMenu()
          const r = e.currentTarget.getBoundingClientRect()
          store().openMessageMenu(c.id, m.seq, { x: r.right - 240, y: r.bottom + 4 })
        }}
      >
        <Icon name="more" />
      </button>
    </div>
  )
}
