// Files in a message: images as a thumbnail that opens in full, other files
// as a card to download; progress bars for transfers in either direction.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PendingAttachment, TransferView } from '../../../../shared/ipc'
import type { Attachment } from '../../../../shared/schemas/files'
import { withoutHiddenCharacters } from '../../../../shared/schemas/hidden-characters'
import { unwrap, api, words } from '../../lib/api'
import { bytes } from '../../lib/format'
import { i18n } from '../../i18n'
import { hostSecret, savedUrl } from '../../lib/stage'
import { useStore } from '../../store'
import { useModal } from '../Dialog/useModal'
import { Icon } from '../Icon/Icon'
import './Attachments.css'

function seconds(eta: number | null): string {
  if (eta === null) return ''
  return eta < 60 ? i18n.t('chat.transfer.secondsLeft', { count: eta }) : i18n.t('chat.transfer.minutesLeft', { count: Math.ceil(eta / 60) })
}

/** A progress bar with bytes, speed and time left, and the buttons that steer the transfer. */
export function TransferBar({ transfer: t }: { transfer: TransferView }): React.JSX.Element {
  const { t: tr } = useTranslation()
  const steer = (id: string, action: Parameters<ReturnType<typeof useStore.getState>['steer']>[1]): Promise<void> => useStore.getState().steer(id, action)
  const percent = t.size ? Math.floor((t.bytes / t.size) * 100) : 100
  const label = t.direction === 'upload' ? tr('chat.transfer.uploading', { name: t.name }) : tr('chat.transfer.downloading', { name: t.name })
  return (
    <div className="transfer" data-state={t.state}>
      <progress className="transfer-bar" max={t.size || 1} value={t.bytes} aria-label={label} />
      <span className="transfer-text">
        {t.state === 'failed' && t.error ? words(t.error) : tr('chat.transfer.progress', { done: bytes(t.bytes), total: bytes(t.size), percent })}
        {t.state === 'running' && t.rate > 0 ? tr('chat.transfer.rate', { rate: bytes(Math.round(t.rate)), left: seconds(t.etaSeconds) }) : ''}
        {t.state === 'paused' ? tr('chat.transfer.paused') : ''}
      </span>
      {t.state === 'running' || t.state === 'queued' ? (
        <button className="icon-btn" aria-label={tr('chat.transfer.pauseName', { name: t.name })} title={tr('chat.transfer.pause')} onClick={() => void steer(t.id, 'pause')}>
          <Icon name="pause" size={14} />
        </button>
      ) : null}
      {t.state === 'paused' || t.state === 'failed' ? (
        <button className="btn" aria-label={tr('chat.transfer.resumeName', { name: t.name })} onClick={() => void steer(t.id, 'resume')}>
          {tr('chat.transfer.resume')}
        </button>
      ) : null}
      <button className="icon-btn" aria-label={tr('chat.transfer.cancelName', { name: t.name })} title={tr('common.cancel')} onClick={() => void steer(t.id, 'cancel')}>
        <Icon name="close" size={14} />
      </button>
    </div>
  )
}

function Lightbox({ fileId, name, onClose }: { fileId: string; name: string; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [url, setUrl] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLDialogElement>(null)
  // A modal like the other dialogs: Esc closes the picture alone, not the conversation.
  useModal(ref, onClose, () => ref.current?.querySelector<HTMLElement>('.lightbox-close'))
  useEffect(() => {
    let live = true
    unwrap(api().files.preview({ fileId })).then(
      (r) => live && setUrl(r.dataUrl),
      (err: unknown) => live && setError((err as Error).message)
    )
    return () => {
      live = false
    }
  }, [fileId])
  return (
    <dialog ref={ref} className="lightbox" aria-label={name} onClick={onClose}>
      {url ? <img src={url} alt={name} className="lightbox-image" /> : <span className="muted">{error ?? t('common.loading')}</span>}
      <button className="icon-btn lightbox-close" aria-label={t('common.close')} onClick={onClose}>
        <Icon name="close" />
      </button>
    </dialog>
  )
}

function DoneActions({ transfer }: { transfer: TransferView }): React.JSX.Element {
  const { t } = useTranslation()
  const steer = (id: string, action: Parameters<ReturnType<typeof useStore.getState>['steer']>[1]): Promise<void> => useStore.getState().steer(id, action)
  if (hostSecret()) {
    // The browser: "open" hands the saved file to the browser's own downloads.
    return (
      <a className="btn" href={savedUrl(transfer.id)} download={transfer.savedName ?? transfer.name}>
        {t('chat.transfer.open')}
      </a>
    )
  }
  return (
    <>
      <button className="btn" onClick={() => void steer(transfer.id, 'open')}>
        {t('chat.transfer.open')}
      </button>
      <button className="btn" onClick={() => void steer(transfer.id, 'showInFolder')}>
        {t('chat.transfer.showInFolder')}
      </button>
    </>
  )
}

function AttachmentItem({ conversationId, file }: { conversationId: string; file: Attachment }): React.JSX.Element {
  const { t: tr } = useTranslation()
  const [full, setFull] = useState(false)
  // The latest download of this file, if any.
  const transfer = useStore((s) => {
    let found: TransferView | undefined
    for (const t of Object.values(s.transfers)) if (t.direction === 'download' && t.fileId === file.id && t.state !== 'cancelled') found = t
    return found
  })
  const download = (): void => void useStore.getState().download(conversationId, file)
  // A name stored before the server refused overrides must not read backwards here.
  const name = withoutHiddenCharacters(file.name)
  return (
    <div className="attachment" data-file-id={file.id}>
      {file.thumbnail ? (
        <button className="attachment-thumb" aria-label={tr('chat.transfer.view', { name })} onClick={() => setFull(true)}>
          <img src={file.thumbnail} alt={name} width={file.width && file.height ? Math.min(240, file.width) : undefined} />
        </button>
      ) : null}
      <div className="attachment-card">
        <span className="attachment-name" title={name}>
          {name}
        </span>
        <span className="muted attachment-size">{bytes(file.size)}</span>
        {transfer?.state === 'done' ? (
          <>
            <span className="muted">{tr('chat.transfer.savedAs', { name: transfer.savedName })}</span>
            <DoneActions transfer={transfer} />
          </>
        ) : transfer ? null : (
          <button className="btn" aria-label={tr('chat.transfer.downloadName', { name })} onClick={download}>
            {tr('chat.transfer.download')}
          </button>
        )}
      </div>
      {transfer && transfer.state !== 'done' ? <TransferBar transfer={transfer} /> : null}
      {full ? <Lightbox fileId={file.id} name={name} onClose={() => setFull(false)} /> : null}
    </div>
  )
}

export function Attachments({ conversationId, files }: { conversationId: string; files: Attachment[] }): React.JSX.Element {
  return (
    <div className="attachments">
      {files.map((f) => (
        <AttachmentItem key={f.id} conversationId={conversationId} file={f} />
      ))}
    </div>
  )
}

/** Files of a message not sent yet, with their upload progress. */
export function PendingAttachments({ files }: { files: PendingAttachment[] }): React.JSX.Element {
  const transfers = useStore((s) => s.transfers)
  return (
    <div className="attachments">
      {files.map((f) => {
        const t = transfers[f.transferId]
        return (
          <div className="attachment" key={f.transferId}>
            {f.thumbnail ? <img className="attachment-thumb" src={f.thumbnail} alt={f.name} /> : null}
            <div className="attachment-card">
              <span className="attachment-name">{f.name}</span>
              <span className="muted attachment-size">{bytes(f.size)}</span>
            </div>
            {t && t.state !== 'done' ? <TransferBar transfer={t} /> : null}
          </div>
        )
      })}
    </div>
  )
}
