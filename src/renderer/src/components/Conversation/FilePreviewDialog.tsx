// Files about to be sent: each with its name, size and (for an image) a
// thumbnail, a button to remove it, and a caption sent with them as one
// message. Send or Cancel (Esc); nothing is sent before Send.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { UiError } from '../../lib/api'
import { bytes } from '../../lib/format'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from '../dialogs/ErrorLine'
import { FormActions } from '../dialogs/FormActions'
import { Icon } from '../Icon/Icon'
import './FilePreviewDialog.css'

interface Props {
  /** What was in the composer's box: the caption to start with. */
  initialCaption: string
  /** After the files went: the composer empties its box. */
  onSent: () => void
}

export function FilePreviewDialog({ initialCaption, onSent }: Props): React.JSX.Element | null {
  const { t } = useTranslation()
  const files = useStore((s) => s.filePreview?.files ?? [])
  const [caption, setCaption] = useState(initialCaption)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const captionBox = useRef<HTMLTextAreaElement>(null)
  const store = useStore.getState
  // After the Dialog's own first focus (a child's effect runs first): the caption is what one types next.
  useEffect(() => captionBox.current?.focus(), [])

  const send = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await store().sendFilePreview(caption.trim())
      onSent()
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={t('chat.filePreview.title', { count: files.length })} onClose={() => store().closeFilePreview()}>
      <form
        className="file-preview"
        onSubmit={(e) => {
          e.preventDefault()
          void send()
        }}
      >
        <ul className="list-plain file-preview-list" aria-label={t('chat.filePreview.files')}>
          {files.map((f) => (
            <li key={f.key} className="file-preview-item">
              {f.image ? (
                <img className="file-preview-thumb" src={f.image.thumbnail} alt={t('chat.filePreview.thumbnail', { name: f.name })} />
              ) : (
                <span className="file-preview-thumb file-preview-icon" aria-hidden="true">
                  <Icon name="attach" size={20} />
                </span>
              )}
              <span className="file-preview-name">
                <span>{f.name}</span>
                <span className="muted">{bytes(f.size)}</span>
              </span>
              <button type="button" className="icon-btn" aria-label={t('chat.filePreview.remove', { name: f.name })} onClick={() => store().removePreviewFile(f.key)}>
                <Icon name="close" size={16} />
              </button>
            </li>
          ))}
        </ul>
        {files.length === 0 ? <p className="muted">{t('chat.filePreview.empty')}</p> : null}
        <label className="field">
          <span>{t('chat.filePreview.caption')}</span>
          <textarea
            ref={captionBox}
            className="input"
            rows={2}
            maxLength={LIMITS.messageTextMax}
            placeholder={t('chat.filePreview.captionPlaceholder')}
            value={caption}
            onChange={(e) => setCaption(e.target.value)}
            onKeyDown={(e) => {
              // As in the composer: Enter sends, Shift+Enter starts a new line.
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault()
                if (files.length && !busy) void send()
              }
            }}
          />
        </label>
        <ErrorLine error={error} />
        <FormActions onCancel={() => store().closeFilePreview()} label={t('chat.filePreview.send')} busyLabel={t('chat.filePreview.sending')} busy={busy} disabled={files.length === 0} />
      </form>
    </Dialog>
  )
}
