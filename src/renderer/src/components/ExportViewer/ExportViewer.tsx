// An export opened read-only: its conversations and messages, images read
// from the zip. No composer and nothing to act on: a banner says what it is.
import { useEffect, useMemo, useState } from 'react'
import { systemWords } from '../../../../shared/export-messages'
import type { ExportAttachment, ExportConversation, ExportMessage } from '../../../../shared/schemas/export'
import { clock, bytes, dayLabel } from '../../lib/format'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import './ExportViewer.css'

/** Messages drawn at first (newest); "Show earlier" adds as many again. */
const SHOWN = 300

export function ExportViewer({ onClose }: { onClose: () => void }): React.JSX.Element | null {
  const opened = useStore((s) => s.openedExport)
  const [index, setIndex] = useState(0)
  if (!opened) return null
  const conversation = opened.conversations[index]
  const close = (): void => {
    void useStore.getState().closeExport()
    onClose()
  }
  const date = new Date(opened.manifest.exportedAt).toLocaleString()
  return (
    <Dialog title={`Export from ${date}, read-only`} onClose={close} wide>
      <p className="export-banner" role="note">
        Export from {date}, read-only · {opened.manifest.account.displayName} (@{opened.manifest.account.username})
        {opened.manifest.server.name ? ` on ${opened.manifest.server.name}` : ''}
      </p>
      <div className="export-viewer">
        <ul className="list-plain export-conversations" aria-label="Exported conversations">
          {opened.conversations.map((c, i) => (
            <li key={c.conversation.id}>
              <button className={`btn export-conversation${i === index ? ' active' : ''}`} aria-pressed={i === index} onClick={() => setIndex(i)}>
                {c.conversation.title} <span className="muted">({c.messages.length})</span>
              </button>
            </li>
          ))}
        </ul>
        {conversation ? <ExportThread key={conversation.conversation.id} doc={conversation} /> : <p className="muted">This export holds no conversations.</p>}
      </div>
    </Dialog>
  )
}

function ExportThread({ doc }: { doc: ExportConversation }): React.JSX.Element {
  const [shown, setShown] = useState(SHOWN)
  const names = useMemo(() => new Map(doc.people.map((p) => [p.id, p.displayName])), [doc])
  const name = (id: string): string => names.get(id) ?? 'Unknown person'
  const messages = doc.messages.slice(Math.max(0, doc.messages.length - shown))
  return (
    <section className="export-thread" aria-label={`Messages of ${doc.conversation.title}`}>
      {messages.length < doc.messages.length ? (
        <button className="btn" onClick={() => setShown((n) => n + SHOWN)}>
          Show earlier messages
        </button>
      ) : null}
      <ol className="list-plain">
        {messages.map((m) => (
          <li key={m.seq}>
            <ExportMessageItem m={m} name={name} />
          </li>
        ))}
      </ol>
    </section>
  )
}

function ExportMessageItem({ m, name }: { m: ExportMessage; name: (id: string) => string }): React.JSX.Element {
  const when = `${dayLabel(m.createdAt)} ${clock(m.createdAt)}`
  if (m.kind === 'system' && m.system) {
    return (
      <p className="export-system muted">
        {systemWords(m.system, name(m.senderId), name)} · {when}
      </p>
    )
  }
  return (
    <article className="export-message">
      <header>
        <strong>{name(m.senderId)}</strong> <span className="muted">{when}</span>
      </header>
      {m.deletedAt ? (
        <p className="muted">This message was deleted.</p>
      ) : (
        <>
          {m.replyTo ? (
            <blockquote className="export-quote">
              {name(m.replyTo.senderId)}: {m.replyTo.preview}
            </blockquote>
          ) : null}
          {m.text ? (
            <p className="export-text">
              {m.text}
              {m.editedAt ? <span className="muted"> (edited)</span> : null}
            </p>
          ) : null}
          {(m.attachments ?? []).map((a) => (
            <ExportFile key={a.id} file={a} />
          ))}
        </>
      )}
    </article>
  )
}

function ExportFile({ file }: { file: ExportAttachment }): React.JSX.Element {
  const [url, setUrl] = useState<string | null>(null)
  const image = file.path !== null && /^image\/(png|jpeg|gif|webp)$/.test(file.type)
  useEffect(() => {
    if (!image || !file.path) return
    let live = true
    useStore
      .getState()
      .exportImage(file.path)
      .then(
        (dataUrl) => live && setUrl(dataUrl),
        () => live && setUrl(null)
      )
    return () => {
      live = false
    }
  }, [image, file.path])
  return (
    <div className="export-file">
      {url ? <img src={url} alt={file.name} className="export-image" /> : null}
      <span>
        {file.name} <span className="muted">({bytes(file.size)}{file.path ? '' : ', not in this export'})</span>
      </span>
    </div>
  )
}
