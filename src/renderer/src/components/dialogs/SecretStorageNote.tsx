// Where the sign-in is kept, and a way to keep it unencrypted where the OS has no keyring.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SecretStorageStatus } from '../../../../shared/ipc'
import { api, unwrap } from '../../lib/api'
import { ErrorLine } from './ErrorLine'
import { errorText } from './useAction'

export function SecretStorageNote(): React.JSX.Element | null {
  const { t } = useTranslation()
  const [status, setStatus] = useState<SecretStorageStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    unwrap(api().app.secretStorage()).then(
      (s) => {
        if (live) setStatus(s)
      },
      (err: unknown) => {
        if (live) setError(errorText(err))
      }
    )
    return () => {
      live = false
    }
  }, [])

  const allow = async (value: boolean): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      setStatus(await unwrap(api().app.allowPlaintextSecrets({ allow: value })))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  if (!status) return <ErrorLine error={error} />
  return (
    <section className="secret-note" aria-labelledby="secret-note-title">
      <h3 id="secret-note-title" className="dialog-section">{t('dialogs.secret.title')}</h3>
      {status.secure ? (
        <p className="muted">{t('dialogs.secret.secure', { backend: status.backend })}</p>
      ) : (
        <>
          <p className="warning">
            {t('dialogs.secret.noKeyring')}
            {status.allowPlaintext ? t('dialogs.secret.plain') : t('dialogs.secret.everyStart')}
          </p>
          <label className="row check">
            <input type="checkbox" checked={status.allowPlaintext} disabled={busy} onChange={(e) => void allow(e.target.checked)} />
            <span>{t('dialogs.secret.allow')}</span>
          </label>
        </>
      )}
      {status.secure && !status.persistent ? <p className="muted">{t('dialogs.secret.notPersistent')}</p> : null}
      <ErrorLine error={error} />
    </section>
  )
}
