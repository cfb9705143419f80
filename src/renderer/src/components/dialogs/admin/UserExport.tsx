// "Export data" of one account (GDPR requests): the server makes the zip,
// the app saves it; its progress shows above the list.
import type { AdminUser } from '../../../../../shared/schemas/admin'
import { useStore } from '../../../store'
import { ExportProgress } from '../ExportProgress'

export function UserExportButton({ user, disabled, onStarted, onError }: { user: AdminUser; disabled: boolean; onStarted: (id: string) => void; onError: (err: unknown) => void }): React.JSX.Element {
  const start = (): void =>
    void useStore
      .getState()
      .startUserExport(user.id, user.username)
      .then((view) => view && onStarted(view.id), onError)
  return (
    <button type="button" className="btn" disabled={disabled} onClick={start} aria-label={`Export data of ${user.displayName}`}>
      Export data
    </button>
  )
}

export function UserExportStatus({ exportId }: { exportId: string }): React.JSX.Element | null {
  const job = useStore((s) => s.exports[exportId])
  return job ? <ExportProgress job={job} /> : null
}
