// An export opened read-only: its conversations and messages, images read
// from the zip. No composer and nothing to act on: a banner says what it is.
// Texts, system events and dates in the window's language (the HTML export
// the core writes stays English).
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationKind } from '../../../../shared/schemas/conversations'
import type { ExportAttachment, ExportConversation, ExportMessage } from '../../../../shared/schemas/export'
import { i18n } from '../../i18n'
import { bytes, dateTime, stamp, systemEventText } from '../../lib/format'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import './ExportViewer.css'

/** Messages drawn at first (newest); "Show earlier" adds as many again. */
const SHOWN = 300

export function ExportViewer({ onClose }: { onClose: () => void }): React.JSX.Element | null {
  const { t } = useTranslation()
  const opened = useStore((s) => s.openedExport)
  const [index, setIndex] = useState(0)
  if (!opened) return null
  const conversation = opened.conversations[index]
  const close = (): void => {
    void useStore.getState().closeExport()
    onClose()
  }
  const { account, exportedAt, server } = opened.manifest
  const date = dateTime(exportedAt)
  const who = { date, name: account.displayName, username: account.username }
  return (
    <Dialog title={t('dialogs.exportViewer.title', { date })} onClose={close} wide>
      <p className="export-banner" role="note">
        {server.name ? t('dialogs.exportViewer.bannerOnServer', { ...who, server: server.name }) : t('dialogs.exportViewer.banner', who)}
      </p>
      <div className="export-viewer">
        <ul className="list-plain export-conversations" aria-label={t('dialogs.exportViewer.conversations')}>
          {opened.conversations.map((c, i) => (
            <li key={c.conversation.id}>
              <button className={`btn export-conversation${i === index ? ' active' : ''}`} aria-pressed={i === index} onClick={() => setIndex(i)}>
                {c.conversation.title} <span className="muted">({c.messages.length})</span>
              </button>
            </li>
          ))}
        </ul>
        {conversation ? <ExportThread key={conversation.conversation.id} doc={conversation} /> : <p className="muted">{t('dialogs.exportViewer.empty')}</p>}
      </div>
    </Dialog>
  )
}

function ExportThread({ doc }: { doc: ExportConversation }): React.JSX.Element {
  // The rows below use i18n.t: this re-renders them when the language changes (as the message list's rows, see useLanguage).
  const { t } = useTranslation()
  const [shown, setShown] = useState(SHOWN)
  const names = useMemo(() => new Map(doc.people.map((p) => [p.id, p.displayName])), [doc])
  const name = (id: string): string => names.get(id) ?? t('dialogs.exportViewer.unknown')
  const messages = doc.messages.slice(Math.max(0, doc.messages.length - shown))
  return (
    <section className="export-thread" aria-label={t('dialogs.exportViewer.messagesOf', { title: doc.conversation.title })}>
      {messages.length < doc.messages.length ? (
        <button className="btn" onClick={() => setShown((n) => n + SHOWN)}>
          {t('dialogs.exportViewer.earlier')}
        </button>
      ) : null}
      <ol className="list-plain">
        {messages.map((m) => (
          <li key={m.seq}>
            <ExportMessageItem m={m} kind={doc.conversation.kind} name={name} />
          </li>
        ))}
      </ol>
    </section>
  )
}

function ExportMessageItem({ m, kind, name }: { m: ExportMessage; kind: ConversationKind; name: (id: string) => string }): React.JSX.Element {
  const t = i18n.t
  const when = stamp(m.createdAt)
  if (m.kind === 'system' && m.system) {
    return (
      <p className="export-system muted">
        {systemEventText(m.system, m.senderId, kind, name)} · {when}
      </p>
    )
  }
  return (
    <article className="export-message">
      <header>
        <strong>{name(m.senderId)}</strong> <span className="muted">{when}</span>
      </header>
      {m.deletedAt ? (
        <p className="muted">{t('dialogs.exportViewer.deleted')}</p>
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
              {m.editedAt ? <span className="muted"> {t('dialogs.exportViewer.edited')}</span> : null}
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
        {file.name} <span className="muted">({file.path ? bytes(file.size) : i18n.t('dialogs.exportViewer.notIncluded', { size: bytes(file.size) })})</span>
      </span>
    </div>
  )
}
