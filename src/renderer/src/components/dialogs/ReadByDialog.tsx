// Message info (the message menu's Info, issue 20): who sent it and when,
// whether it was forwarded, who has read it, who has received it, and who has
// not yet.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MessageReceipts } from '../../../../shared/schemas/receipts'
import { enumeration, stamp } from '../../lib/format'
import { useStore } from '../../store'
import { memberAvatar, memberName, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Dialog } from '../Dialog/Dialog'
import { Forwarded } from '../Conversation/Forwarded'
import { ErrorLine } from './ErrorLine'
import { errorText } from './useAction'

interface Props {
  conversationId: string
  seq: number
  onClose: () => void
}

export function ReadByDialog({ conversationId, seq, onClose }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[conversationId])
  const message = useStore((s) => s.threads[conversationId]?.messages.find((m) => m.seq === seq))
  const senderId = useStore((s) => message?.senderId ?? selectMeId(s))
  const [receipts, setReceipts] = useState<MessageReceipts | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    useStore.getState().loadReceipts(conversationId, seq).then(
      (r) => {
        if (live) setReceipts(r)
      },
      (err: unknown) => {
        if (live) setError(errorText(err))
      }
    )
    return () => {
      live = false
    }
  }, [conversationId, seq])

  const others = (c?.members ?? []).filter((m) => m.user.id !== senderId)
  const readBy = Object.entries(receipts?.readBy ?? {}).filter(([id]) => id !== senderId)
  const delivered = Object.entries(receipts?.deliveredTo ?? {}).filter(([id]) => id !== senderId && !receipts?.readBy[id])
  const waiting = others.filter((m) => receipts && !receipts.readBy[m.user.id] && !receipts.deliveredTo[m.user.id])

  const list = (title: string, rows: [string, string][], verb: string): React.JSX.Element | null =>
    rows.length ? (
      <section aria-label={title}>
        <h3 className="dialog-section">{title}</h3>
        <ul className="list-plain dialog-list">
          {rows
            .sort((a, b) => (a[1] < b[1] ? 1 : -1))
            .map(([id, at]) => (
              <li key={id} className="dialog-row">
                <Avatar name={memberName(c, id)} image={memberAvatar(c, id)} size={28} />
                <span className="dialog-item-title spacer">{memberName(c, id)}</span>
                <span className="muted">
                  <span className="visually-hidden">{verb} </span>
                  {stamp(at)}
                </span>
              </li>
            ))}
        </ul>
      </section>
    ) : null

  return (
    <Dialog title={t('dialogs.readBy.title')} onClose={onClose}>
      {message ? <p className="muted">{t('messageMenu.infoDialog.sentBy', { name: memberName(c, message.senderId), time: stamp(message.createdAt) })}</p> : null}
      {message?.forwarded ? <Forwarded from={message.forwarded} /> : null}
      <ErrorLine error={error} />
      {!receipts && !error ? <p className="muted" role="status">{t('common.loading')}</p> : null}
      {list(t('dialogs.readBy.readBy'), readBy, t('dialogs.readBy.read'))}
      {list(t('dialogs.readBy.receivedBy'), delivered, t('dialogs.readBy.received'))}
      {waiting.length ? (
        <section aria-label={t('dialogs.readBy.waiting')}>
          <h3 className="dialog-section">{t('dialogs.readBy.waiting')}</h3>
          <p className="muted">{enumeration(waiting.map((m) => memberName(c, m.user.id)))}</p>
        </section>
      ) : null}
      {receipts && !readBy.length && !delivered.length && !waiting.length ? <p className="muted">{t('dialogs.readBy.alone')}</p> : null}
    </Dialog>
  )
}
