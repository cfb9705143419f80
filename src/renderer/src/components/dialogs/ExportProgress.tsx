// An export's progress, its end in words, cancel, and the finished file
// (the browser downloads it from the host; Electron shows it in its folder).
import type { ExportView } from '../../../../shared/ipc'
import { words } from '../../lib/api'
import { exportUrl } from '../../lib/export-url'
import { bytes } from '../../lib/format'
import { hostSecret } from '../../lib/stage'
import { useStore } from '../../store'

export function ExportProgress({ job }: { job: ExportView }): React.JSX.Element {
  const percent = Math.floor(job.progress * 100)
  return (
    <div className="export-progress" data-state={job.state}>
      {/* An admin's export has no known size until it ends: the bar then runs without a value. */}
      <progress max={1} value={job.subject && job.state === 'running' ? undefined : job.progress} aria-label="Export progress" />
      <p role="status">
        {job.state === 'running'
          ? job.subject
            ? `Exporting the data of @${job.subject}… ${bytes(job.bytes)}`
            : `Exporting… ${percent}% · ${job.messages} messages · conversation ${Math.min(job.conversationsDone + 1, job.conversationsTotal)} of ${job.conversationsTotal}`
          : job.state === 'done'
            ? job.subject
              ? `Exported the data of @${job.subject} to ${job.fileName ?? 'the file'}.`
              : `Exported ${job.messages} messages to ${job.fileName ?? 'the file'}.`
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
