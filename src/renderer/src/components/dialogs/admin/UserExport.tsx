// "Export data" of one account (GDPR requests): the server makes the zip,
// the app saves it; its progress shows above the list.
import { useTranslation } from 'react-i18next'
import type { AdminUser } from '../../../../../shared/schemas/admin'
import { useStore } from '../../../store'
import { ExportProgress } from '../ExportProgress'

export function UserExportButton({ user, disabled, onStarted, onError }: { user: AdminUser; disabled: boolean; onStarted: (id: string) => void; onError: (err: unknown) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const start = (): void =>
    void useStore
      .getState()
      .startUserExport(user.id, user.username)
      .then((view) => view && onStarted(view.id), onError)
  return (
    <button type="button" className="btn" disabled={disabled} onClick={start} aria-label={t('admin.users.exportName', { name: user.displayName })}>
      {t('admin.users.export')}
    </button>
  )
}

export function UserExportStatus({ exportId }: { exportId: string }): React.JSX.Element | null {
  const job = useStore((s) => s.exports[exportId])
  return job ? <ExportProgress job={job} /> : null
}
