// The buttons beside a message: reply, react (a small emoji menu), edit, who
// read it, delete (asked first in the app's own dialog).
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { selectMeId } from '../../store/selectors'
import { useMenu } from '../Dialog/useMenu'
import { Icon } from '../Icon/Icon'
import { QUICK_EMOJI } from './Reactions'
import { PinSaveActions } from '../Pins/PinSaveActions'
import { ReplyInThreadButton } from '../Threads/ReplyInThreadButton'

const store = useStore.getState

/** Asks, then deletes: the message goes for everyone, on every device. */
async function deleteMessage(conversationId: string, seq: number): Promise<void> {
  const yes = await store().confirm({
    title: i18n.t('chat.delete.title'),
    body: i18n.t('chat.delete.body'),
    action: i18n.t('common.delete')
  })
  if (yes) await store().reportFailure(i18n.t('chat.delete.failed'), () => store().remove(conversationId, seq))
}

/** The buttons' names, made once per language: every message row has these buttons, and t() is not free. */
const labelsByLanguage = new Map<string, Record<'reply' | 'react' | 'edit' | 'readBy' | 'deleteForEveryone', string>>()
function actionLabels(): Record<'reply' | 'react' | 'edit' | 'readBy' | 'deleteForEveryone', string> {
  let labels = labelsByLanguage.get(i18n.language)
  if (!labels) {
    const t = i18n.t
    labels = { reply: t('chat.actions.reply'), react: t('chat.actions.react'), edit: t('chat.actions.edit'), readBy: t('chat.actions.readBy'), deleteForEveryone: t('chat.actions.deleteForEveryone') }
    labelsByLanguage.set(i18n.language, labels)
  }
  return labels
}

function EmojiMenu({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const ref = useRef<HTMLSpanElement>(null)
  useMenu(ref, onClose)
  return (
    <span ref={ref} className="emoji-picker" role="menu" aria-label={t('chat.actions.pickReaction')} aria-orientation="horizontal">
      {QUICK_EMOJI.map((e) => (
        <button key={e} role="menuitem" className="icon-btn" aria-label={t('chat.actions.reactWith', { emoji: e })} onClick={() => onPick(e)}>
          {e}
        </button>
      ))}
    </span>
  )
}

export function MessageActions({ message: m, conversation: c, mine, inThread }: { message: Message; conversation: Conversation; mine: boolean; inThread?: boolean | undefined }): React.JSX.Element {
  // One per message row: re-rendered in a new language with its row (see useLanguage).
  const l = actionLabels()
  const [picking, setPicking] = useState(false)
  const meId = useStore(selectMeId)
  // Admins of a group or room may delete anyone's message.
  const admin = c.kind !== 'direct' && c.members.some((x) => x.user.id === meId && x.role === 'admin')
  return (
    <div className={`message-actions${picking ? ' is-open' : ''}`}>
      <button className="icon-btn" aria-label={l.reply} title={l.reply} onClick={() => store().setDraft(c.id, { replyTo: m.seq, editing: null })}>
        <Icon name="reply" />
      </button>
      {!inThread && m.kind === 'text' && m.threadRoot === undefined ? <ReplyInThreadButton conversationId={c.id} seq={m.seq} /> : null}
      <button className="icon-btn" aria-label={l.react} title={l.react} aria-haspopup="menu" aria-expanded={picking} onClick={() => setPicking(!picking)}>
        <Icon name="smile" />
      </button>
      {picking ? (
        <EmojiMenu
          onClose={() => setPicking(false)}
          onPick={(e) => {
            setPicking(false)
            void store().reportFailure(i18n.t('chat.reactions.notAdded'), () => store().react(c.id, m.seq, e))
          }}
        />
      ) : null}
      <PinSaveActions message={m} />
      {mine ? (
        <>
          <button className="icon-btn" aria-label={l.edit} title={l.edit} onClick={() => store().setDraft(c.id, { editing: m.seq, replyTo: null })}>
            <Icon name="edit" />
          </button>
          <button className="icon-btn" aria-label={l.readBy} title={l.readBy} onClick={() => store().openDialog({ kind: 'read-by', conversationId: c.id, seq: m.seq })}>
            <Icon name="info" />
          </button>
        </>
      ) : null}
      {mine || admin ? (
        <button className="icon-btn" aria-label={l.deleteForEveryone} title={l.deleteForEveryone} onClick={() => void deleteMessage(c.id, m.seq)}>
          <Icon name="trash" />
        </button>
      ) : null}
    </div>
  )
}
