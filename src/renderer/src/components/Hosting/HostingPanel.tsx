// Host the office server on this computer: start and stop it, choose where it
// listens and whether it is advertised, start it with the app, and hand out
// its address, fingerprint, invite link and QR code.
import { useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { HostingInvite } from '../../../../shared/ipc'
import { i18n } from '../../i18n'
import { UiError } from '../../lib/api'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { Fingerprint } from './Fingerprint'
import { ListenChoice } from './ListenChoice'
import './Hosting.css'

const message = (err: unknown): string => (err instanceof UiError ? err.message : String(err))

/** Its addresses are all loopback: it listens on this computer only. */
const onlyHere = (urls: string[]): boolean => urls.length > 0 && urls.every((u) => ['127.0.0.1', '[::1]'].includes(new URL(u).hostname))

export function HostingPanel({ onUse }: { onUse?: (localUrl: string) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const status = useStore((s) => s.hosting)
  const [port, setPort] = useState('')
  const [name, setName] = useState('')
  const [made, setInvite] = useState<(HostingInvite & { for: string }) | null>(null)
  /** A sign-up invite code to put in the link (invite-only servers), as typed. */
  const [signUpCode, setSignUpCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    useStore.getState().loadHosting().catch((err: unknown) => setError(message(err)))
  }, [])
  const running = status?.state === 'running'
  const firstUrl = status?.urls[0] ?? status?.localUrl ?? null
  const inviteCode = signUpCode.trim()
  // Only a whole code goes into the link (10 characters, dashes and spaces aside).
  const linkCode = inviteCode.replace(/[\s-]/g, '').length === 10 ? inviteCode : ''
  useEffect(() => {
    if (!running || !firstUrl) return
    useStore
      .getState()
      .hostingInvite(firstUrl, linkCode || undefined)
      .then((invite) => setInvite({ ...invite, for: firstUrl }), (err: unknown) => setError(message(err)))
  }, [running, firstUrl, linkCode])
  // Only the invite of the server running now (not one from before a restart on another port).
  const invite = running && made?.for === firstUrl ? made : null

  if (!status) return <p className="muted">{t('common.loading')}</p>
  if (status.state === 'unavailable') return <p className="muted">{t('start.hosting.unavailable')}</p>

  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (err) {
      setError(message(err))
    } finally {
      setBusy(false)
    }
  }
  const start = (): Promise<void> =>
    act(async () => {
      const chosen = port.trim() ? Number(port) : undefined
      if (chosen !== undefined && (!Number.isInteger(chosen) || chosen < 1 || chosen > 65535)) throw new Error(i18n.t('start.hosting.badPort'))
      await useStore.getState().startHosting({ ...(chosen ? { port: chosen } : {}), ...(name.trim() ? { name: name.trim() } : {}) })
    })
  const listenChoice = (
    <ListenChoice
      status={status}
      busy={busy || status.state === 'starting' || status.state === 'stopping'}
      onChoose={(choice) => void act(() => useStore.getState().setHostingNetwork(choice))}
      onRestart={() => void act(() => useStore.getState().restartHosting())}
    />
  )
  const here = onlyHere(status.urls)

  return (
    <section className="hosting" aria-label={t('start.hosting.label')} data-hosting={status.state}>
      <p className="muted">{t('start.hosting.intro')}</p>
      {running ? (
        <>
          <p role="status">
            <Trans i18nKey="start.hosting.running" values={{ name: status.name, port: status.port }} components={{ strong: <strong /> }} />
          </p>
          <p className="muted">
            {here
              ? t('start.hosting.onlyHere')
              : status.advertised
                ? t('start.hosting.advertised')
                : t('start.hosting.notAdvertised')}
          </p>
          <div className="field">
            <span>{here ? t('start.hosting.addressHere') : t('start.hosting.addresses')}</span>
            <ul className="list-plain hosting-urls">
              {(status.urls.length ? status.urls : [status.localUrl ?? '']).map((u) => (
                <li key={u}>
                  <code>{u}</code>
                </li>
              ))}
            </ul>
          </div>
          {status.fingerprint ? (
            <div className="field">
              <span>{t('start.hosting.fingerprint')}</span>
              <Fingerprint value={status.fingerprint} />
            </div>
          ) : null}
          <label className="field">
            <span>{t('start.hosting.inviteCode')}</span>
            <input className="input join-code" value={signUpCode} onChange={(e) => setSignUpCode(e.target.value)} placeholder="ABCDE-FGH12" autoComplete="off" />
          </label>
          {invite ? (
            <div className="field">
              <span>{t('start.hosting.inviteLink')}</span>
              <input className="input" readOnly value={invite.link} aria-label={t('start.hosting.inviteLink')} onFocus={(e) => e.currentTarget.select()} />
              <img className="hosting-qr" src={invite.qr} alt={t('start.hosting.qr')} width={180} height={180} />
            </div>
          ) : null}
          {listenChoice}
          <div className="row">
            {onUse && status.localUrl ? (
              <button type="button" className="btn btn-primary" onClick={() => onUse(status.localUrl!)}>
                {t('start.hosting.signIn')}
              </button>
            ) : null}
            <span className="spacer" />
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act(() => useStore.getState().stopHosting())}>
              {t('start.hosting.stop')}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void start()
          }}
        >
          <div className="row">
            <label className="field spacer">
              <span>{t('start.hosting.name')}</span>
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder={status.name} maxLength={60} />
            </label>
            <label className="field hosting-port">
              <span>{t('start.hosting.port')}</span>
              <input className="input" value={port} onChange={(e) => setPort(e.target.value)} placeholder={String(status.port)} inputMode="numeric" />
            </label>
          </div>
          {listenChoice}
          {status.error ? <ErrorLine error={status.error.message} /> : null}
          <button type="submit" className="btn btn-primary" disabled={busy || status.state === 'starting' || status.state === 'stopping'}>
            {status.state === 'starting' || busy ? t('common.starting') : t('start.hosting.start')}
          </button>
        </form>
      )}
      <label className="row hosting-autostart">
        <input
          type="checkbox"
          checked={status.autoStart}
          onChange={(e) => void act(() => useStore.getState().setHostingAutoStart(e.target.checked))}
        />
        <span>{t('start.hosting.autoStart')}</span>
      </label>
      <ErrorLine error={error} />
    </section>
  )
}
