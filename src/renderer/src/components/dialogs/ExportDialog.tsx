// Export one conversation, or all of them: the format, whether files go in,
// then the export's progress, cancel, and where the finished file is.
import { useState } from 'react'
import type { ExportView } from '../../../../shared/ipc'
import { words } from '../../lib/api'
import { exportUrl } from '../../lib/export-url'
import { hostSecret } from '../../lib/stage'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'

interface Props {
  conversationId?: string | undefined
  onClose: () => void
}

export function ExportDialog({ conversationId, onClose }: Props): React.JSX.Element {
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
    <Dialog title={title ? `Export “${title}”` : 'Export all conversations'} onClose={onClose}>
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
            <legend>Format</legend>
            <label className="row check">
              <input type="radio" name="export-format" checked={format === 'html'} onChange={() => setFormat('html')} />
              <span>Web page (.html) to read in any browser, offline; images included</span>
            </label>
            <label className="row check">
              <input type="radio" name="export-format" checked={format === 'zip'} onChange={() => setFormat('zip')} />
              <span>Data (.zip with JSON) that this app can open again</span>
            </label>
          </fieldset>
          <label className="row check">
            <input type="checkbox" checked={attachments} onChange={(e) => setAttachments(e.target.checked)} />
            <span>Include attachments{format === 'html' ? ' (the page and the files come as a .zip)' : ''}</span>
          </label>
          <ErrorLine error={error} />
          <div className="row dialog-actions">
            <span className="spacer" />
            <button type="submit" className="btn primary" disabled={busy !== null}>
              Export
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

function ExportProgress({ job }: { job: ExportView }): React.JSX.Element {
  const percent = Math.floor(job.progress * 100)
  return (
    <div className="export-progress" data-state={job.state}>
      <progress max={1} value={job.progress} aria-label="Export progress" />
      <p role="status">
        {job.state === 'running'
          ? `Exporting… ${percent}% · ${job.messages} messages · conversation ${Math.min(job.conversationsDone + 1, job.conversationsTotal)} of ${job.conversationsTotal}`
          : job.state === 'done'
            ? `Exported ${job.messages} messages to ${job.fileName ?? 'the file'}.`
            : job.state === 'cancelled'
              ? 'Export cancelled. Nothing was saved.'
              : `Export failed: ${job.error ? words(job.error) : 'something went wrong.'}`}
      </p>
      <div className="row dialog-actions">
        <span className="spacer" />
        {job.state === 'running' ? (
          <button className="btn" onClick={() => void useStore.getState().cancelExport(job.id)}>
            Cancel export
          </button>
        ) : null}
        {job.state === 'done' && hostSecret() ? (
          <a className="btn primary" href={exportUrl(job.id)} download={job.fileName ?? 'export'}>
            Download {job.fileName}
          </a>
        ) : null}
        {job.state === 'done' && !hostSecret() ? (
          <button className="btn" onClick={() => void useStore.getState().showExportInFolder(job.id)}>
            Show in folder
          </button>
        ) : null}
      </div>
    </div>
  )
}
