// An export's progress, its end in words, cancel, and the finished file
// (the browser downloads it from the host; Electron shows it in its folder).
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { ExportView } from '../../../../shared/ipc'
import { words } from '../../lib/api'
import { exportUrl } from '../../lib/export-url'
import { bytes } from '../../lib/format'
import { hostSecret } from '../../lib/stage'
import { useStore } from '../../store'

export function ExportProgress({ job }: { job: ExportView }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="export-progress" data-state={job.state}>
      {/* An admin's export has no known size until it ends: the bar then runs without a value. */}
      <progress max={1} value={job.subject && job.state === 'running' ? undefined : job.progress} aria-label={t('dialogs.export.progress')} />
      <p role="status">{statusText(job, t)}</p>
      <div className="row dialog-actions">
        <span className="spacer" />
        {job.state === 'running' ? (
          <button className="btn" onClick={() => void useStore.getState().cancelExport(job.id)}>
            {t('dialogs.export.cancel')}
          </button>
        ) : null}
        {job.state === 'done' && hostSecret() ? (
          <a className="btn primary" href={exportUrl(job.id)} download={job.fileName ?? 'export'}>
            {job.fileName ? t('dialogs.export.downloadName', { name: job.fileName }) : t('dialogs.export.download')}
          </a>
        ) : null}
        {job.state === 'done' && !hostSecret() ? (
          <button className="btn" onClick={() => void useStore.getState().showExportInFolder(job.id)}>
            {t('dialogs.export.showInFolder')}
          </button>
        ) : null}
      </div>
    </div>
  )
}

/** The export's state in a sentence: what it is doing, or how it ended. */
function statusText(job: ExportView, t: TFunction): string {
  const file = job.fileName ?? t('dialogs.export.theFile')
  switch (job.state) {
    case 'running':
      return job.subject
        ? t('dialogs.export.runningData', { username: job.subject, size: bytes(job.bytes) })
        : t('dialogs.export.running', {
            percent: Math.floor(job.progress * 100),
            count: job.messages,
            current: Math.min(job.conversationsDone + 1, job.conversationsTotal),
            total: job.conversationsTotal
          })
    case 'done':
      return job.subject ? t('dialogs.export.doneData', { username: job.subject, file }) : t('dialogs.export.done', { count: job.messages, file })
    case 'cancelled':
      return t('dialogs.export.cancelled')
    case 'failed':
      return job.error ? t('dialogs.export.failed', { why: words(job.error) }) : t('dialogs.export.failedUnknown')
  }
}
