// Export one conversation, or all of them: the format, whether files go in,
// then the export's progress, cancel, and where the finished file is.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { ExportProgress } from './ExportProgress'
import { useAction } from './useAction'

interface Props {
  conversationId?: string | undefined
  onClose: () => void
}

export function ExportDialog({ conversationId, onClose }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const title = useStore((s) => {
    const c = conversationId ? s.conversations[conversationId] : undefined
    return c ? conversationTitle(c, selectMeId(s)) : null
  })
  const [format, setFormat] = useState<'html' | 'zip'>('html')
  const [attachments, setAttachments] = useState(false)
  const [exportId, setExportId] = useState<string | null>(null)
  const job = useStore((s) => (exportId ? s.exports[exportId] : undefined))
  const { busy, error, run } = useAction()

  const start = (): void => {
    void run('start', async () => {
      const view = await useStore.getState().startExport({ ...(conversationId ? { conversationId } : {}), format, attachments })
      if (view) setExportId(view.id)
    })
  }

  return (
    <Dialog title={title ? t('dialogs.export.titleOne', { title }) : t('dialogs.export.titleAll')} onClose={onClose}>
      {job ? (
        <ExportProgress job={job} />
      ) : (
        <form
          className="export-form"
          onSubmit={(e) => {
            e.preventDefault()
            start()
          }}
        >
          <fieldset className="export-formats">
            <legend>{t('dialogs.export.format')}</legend>
            <label className="row check">
              <input type="radio" name="export-format" checked={format === 'html'} onChange={() => setFormat('html')} />
              <span>{t('dialogs.export.html')}</span>
            </label>
            <label className="row check">
              <input type="radio" name="export-format" checked={format === 'zip'} onChange={() => setFormat('zip')} />
              <span>{t('dialogs.export.zip')}</span>
            </label>
          </fieldset>
          <label className="row check">
            <input type="checkbox" checked={attachments} onChange={(e) => setAttachments(e.target.checked)} />
            <span>{format === 'html' ? t('dialogs.export.attachmentsHtml') : t('dialogs.export.attachments')}</span>
          </label>
          <ErrorLine error={error} />
          <div className="row dialog-actions">
            <span className="spacer" />
            <button type="submit" className="btn primary" disabled={busy !== null}>
              {t('dialogs.export.start')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
