// Trust on first use, in words: the fingerprint of a server seen for the
// first time, to compare with the one its host shows; or a warning that the
// certificate changed since this app trusted it.
import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { ServerProbe } from '../../../../shared/ipc'
import { api, unwrap, UiError } from '../../lib/api'
import { ErrorLine } from '../dialogs/ErrorLine'
import { Fingerprint } from './Fingerprint'
import './Hosting.css'

export function TrustCard({ probe, onTrusted, onCancel }: { probe: ServerProbe; onTrusted: () => void; onCancel: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const certificate = probe.certificate!
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const changed = certificate.state === 'changed'
  const trust = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await unwrap(api().server.trust({ serverUrl: probe.serverUrl, fingerprint: certificate.fingerprint }))
      onTrusted()
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
      setBusy(false)
    }
  }
  return (
    <section className="trust" aria-label={changed ? t('start.trust.changedLabel') : t('start.trust.label')} data-trust={certificate.state}>
      {changed ? (
        <div className="trust-warning" role="alert">
          <h2>{t('start.trust.changedTitle')}</h2>
          <p>
            <Trans i18nKey="start.trust.changedText" values={{ name: probe.name ?? probe.serverUrl }} components={{ strong: <strong /> }} />
          </p>
          <p className="muted">{t('start.trust.before')}</p>
          <Fingerprint value={certificate.pinned ?? ''} label={t('start.trust.beforeLabel')} />
        </div>
      ) : (
        <>
          <h2>{t('start.trust.title')}</h2>
          <p>
            <Trans i18nKey="start.trust.firstTime" values={{ name: probe.name ?? probe.serverUrl, url: probe.serverUrl }} components={{ strong: <strong /> }} />
          </p>
        </>
      )}
      <p className="muted">{changed ? t('start.trust.now') : t('start.trust.fingerprint')}</p>
      <Fingerprint value={certificate.fingerprint} />
      <ErrorLine error={error} />
      <div className="row dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {changed ? t('start.trust.notNow') : t('common.back')}
        </button>
        <span className="spacer" />
        <button type="button" className={changed ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy} onClick={() => void trust()}>
          {changed ? t('start.trust.trustNew') : t('start.trust.trust')}
        </button>
      </div>
    </section>
  )
}
