// Who has read a message, who has received it, and who has not yet.
import { useEffect, useState } from 'react'
import type { MessageReceipts } from '../../../../shared/schemas/receipts'
import { api, unwrap } from '../../lib/api'
import { clock, dayLabel } from '../../lib/format'
import { useStore } from '../../store'
import { memberAvatar, memberName, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { errorText } from './useAction'

interface Props {
  conversationId: string
  seq: number
  onClose: () => void
}

const when = (iso: string): string => `${dayLabel(iso)}, ${clock(iso)}`

export function ReadByDialog({ conversationId, seq, onClose }: Props): React.JSX.Element {
  const c = useStore((s) => s.conversations[conversationId])
  const senderId = useStore((s) => s.threads[conversationId]?.messages.find((m) => m.seq === seq)?.senderId ?? selectMeId(s))
  const [receipts, setReceipts] = useState<MessageReceipts | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    unwrap(api().messages.receipts({ conversationId, seq })).then(
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
                  {when(at)}
                </span>
              </li>
            ))}
        </ul>
      </section>
    ) : null

  return (
    <Dialog title="Message info" onClose={onClose}>
      <ErrorLine error={error} />
      {!receipts && !error ? <p className="muted" role="status">Loading…</p> : null}
      {list('Read by', readBy, 'read')}
      {list('Received by', delivered, 'received')}
      {waiting.length ? (
        <section aria-label="Not received yet">
          <h3 className="dialog-section">Not received yet</h3>
          <p className="muted">{waiting.map((m) => memberName(c, m.user.id)).join(', ')}</p>
        </section>
      ) : null}
      {receipts && !readBy.length && !delivered.length && !waiting.length ? <p className="muted">No one else is in this conversation.</p> : null}
    </Dialog>
  )
}
