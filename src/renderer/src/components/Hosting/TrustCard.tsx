// Trust on first use, in words: the fingerprint of a server seen for the
// first time, to compare with the one its host shows; or a warning that the
// certificate changed since this app trusted it.
import { useState } from 'react'
import type { ServerProbe } from '../../../../shared/ipc'
import { api, unwrap, UiError } from '../../lib/api'
import { ErrorLine } from '../dialogs/ErrorLine'
import { Fingerprint } from './Fingerprint'
import './Hosting.css'

export function TrustCard({ probe, onTrusted, onCancel }: { probe: ServerProbe; onTrusted: () => void; onCancel: () => void }): React.JSX.Element {
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
    <section className="trust" aria-label={changed ? 'The certificate changed' : 'Trust this server'} data-trust={certificate.state}>
      {changed ? (
        <div className="trust-warning" role="alert">
          <h2>The server’s certificate changed</h2>
          <p>
            <strong>{probe.name ?? probe.serverUrl}</strong> now shows a different certificate from the one this app trusted. It may be another
            computer pretending to be your server, or its certificate was replaced. Ask the person who runs it before you go on.
          </p>
          <p className="muted">Trusted before:</p>
          <Fingerprint value={certificate.pinned ?? ''} label="Fingerprint trusted before" />
        </div>
      ) : (
        <>
          <h2>Is this your server?</h2>
          <p>
            This is the first time this app connects to <strong>{probe.name ?? probe.serverUrl}</strong> ({probe.serverUrl}). Check that this
            fingerprint is the one shown on the server’s computer:
          </p>
        </>
      )}
      <p className="muted">{changed ? 'Now:' : 'Fingerprint:'}</p>
      <Fingerprint value={certificate.fingerprint} />
      <ErrorLine error={error} />
      <div className="row dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {changed ? 'Not now' : 'Back'}
        </button>
        <span className="spacer" />
        <button type="button" className={changed ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy} onClick={() => void trust()}>
          {changed ? 'Trust the new certificate' : 'It matches: trust it'}
        </button>
      </div>
    </section>
  )
}
