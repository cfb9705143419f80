// The signed-in server's certificate changed: show old and new fingerprints
// and let the user trust the new one once they have checked it.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ServerProbe } from '../../../../shared/ipc'
import { api, unwrap, UiError } from '../../lib/api'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import { TrustCard } from '../Hosting/TrustCard'
import { ErrorLine } from './ErrorLine'

export function CertificateDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const session = useStore((s) => s.session)
  const serverUrl = session?.status === 'signed_in' ? session.account.serverUrl : null
  const [probe, setProbe] = useState<ServerProbe | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!serverUrl) return
    unwrap(api().server.probe({ serverUrl })).then(setProbe, (err: unknown) => setError(err instanceof UiError ? err.message : String(err)))
  }, [serverUrl])
  return (
    <Dialog title={t('dialogs.certificate.title')} onClose={onClose}>
      {probe?.certificate ? (
        probe.certificate.state === 'trusted' ? (
          <p>{t('dialogs.certificate.trusted')}</p>
        ) : (
          <TrustCard probe={probe} onTrusted={onClose} onCancel={onClose} />
        )
      ) : (
        <ErrorLine error={error} />
      )}
    </Dialog>
  )
}
