// First run: choose a server (typed, found on the LAN, from an invite link,
// or hosted on this computer), trust its certificate, then sign in or
// create an account.
import { useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { ServerInfo } from '../../../../shared/schemas/admin'
import type { ServerProbe } from '../../../../shared/ipc'
import { sameFingerprint } from '../../../../shared/fingerprint'
import { i18n } from '../../i18n'
import { api, unwrap, UiError, words } from '../../lib/api'
import { useStore } from '../../store'
import { parseServerInput } from '../../../../shared/invite'
import { ErrorLine } from '../dialogs/ErrorLine'
import { AddingHeader } from './AddingHeader'
import { KnownServers } from './KnownServers'
import { ResetPassword } from './ResetPassword'
import { HostingPanel } from '../Hosting/HostingPanel'
import { TrustCard } from '../Hosting/TrustCard'
import './FirstRun.css'

/** From an invite link: a group join code and a sign-up invite code. */
interface LinkCodes {
  code: string | null
  invite: string | null
}

type Step =
  | { kind: 'server' }
  | { kind: 'trust'; probe: ServerProbe; codes: LinkCodes }
  /** name: what the server calls itself (/health), as the trust prompt showed it. */
  | { kind: 'account'; serverUrl: string; name: string | null; version: string; codes: LinkCodes }

export function FirstRun(): React.JSX.Element {
  const { t } = useTranslation()
  const session = useStore((s) => s.session)
  const adding = useStore((s) => s.addingAccount)
  const last = adding ?? (session?.status === 'signed_out' ? session.accounts[0] : undefined)
  const invite = useStore((s) => s.invite)
  const [step, setStep] = useState<Step>({ kind: 'server' })
  return (
    <main className="first-run">
      <div className="first-run-card">
        {adding && session?.status === 'signed_in' ? <AddingHeader /> : <h1>LAN Messenger</h1>}
        {/* Why this screen shows, while choosing the server; past it, a sign-in's own answer says the rest (one message, not two). */}
        {step.kind === 'server' && session?.status === 'signed_out' && session.reason !== 'start' && session.reason !== 'logout' ? (
          <p role="alert" className="error">
            {session.reason === 'disabled'
              ? t('start.disabled')
              : session.reason === 'data_too_new'
                ? words({ code: 'data_too_new', message: '' })
                : t('start.revoked')}
          </p>
        ) : null}
        {step.kind === 'server' ? (
          <ServerStep
            key={invite ?? ''}
            initial={invite ?? last?.serverUrl ?? ''}
            onFound={(probe, codes) =>
              setStep(
                probe.certificate && probe.certificate.state !== 'trusted'
                  ? { kind: 'trust', probe, codes }
                  : { kind: 'account', serverUrl: probe.serverUrl, name: probe.name, version: probe.version, codes }
              )
            }
          />
        ) : step.kind === 'trust' ? (
          <TrustCard
            probe={step.probe}
            onTrusted={() => setStep({ kind: 'account', serverUrl: step.probe.serverUrl, name: step.probe.name, version: step.probe.version, codes: step.codes })}
            onCancel={() => setStep({ kind: 'server' })}
          />
        ) : (
          <AccountStep
            serverUrl={step.serverUrl}
            name={step.name}
            version={step.version}
            codes={step.codes}
            initialUser={last?.username ?? ''}
            onBack={() => setStep({ kind: 'server' })}
          />
        )}
      </div>
    </main>
  )
}

function ServerStep({ initial, onFound }: { initial: string; onFound: (probe: ServerProbe, codes: LinkCodes) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [address, setAddress] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [hosting, setHosting] = useState(false)
  const servers = useStore((s) => s.servers)
  useEffect(() => {
    const store = useStore.getState()
    store.startDiscovery().catch(() => undefined)
    return () => store.stopDiscovery()
  }, [])
  const submit = async (input = address): Promise<void> => {
    const { server, code, invite, fingerprint } = parseServerInput(input)
    if (!server) {
      setError(t('start.server.missing'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const found = await unwrap(api().server.probe({ serverUrl: server }))
      const presented = found.certificate
      // An invite link vouches for the certificate: trusted without asking if it matches, refused if not.
      if (presented && fingerprint && presented.state !== 'trusted') {
        if (!sameFingerprint(presented.fingerprint, fingerprint)) {
          throw new Error(i18n.t('start.server.mismatch'))
        }
        await unwrap(api().server.trust({ serverUrl: found.serverUrl, fingerprint }))
        onFound({ ...found, certificate: { ...presented, pinned: presented.fingerprint, state: 'trusted' } }, { code, invite })
      } else {
        onFound(found, { code, invite })
      }
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h2>{t('start.server.title')}</h2>
      <p className="muted">{t('start.server.ask')}</p>
      <label className="field">
        <span>{t('start.server.address')}</span>
        <input className="input" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="192.168.1.20:7450" autoFocus />
      </label>
      <ErrorLine error={error} />
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? t('start.server.connecting') : t('start.server.continue')}
      </button>
    </form>
      <KnownServers busy={busy} onPick={(url) => void submit(url)} />
      {servers.length ? (
        <div className="discovered">
          <h3 className="muted">{t('start.server.network')}</h3>
          <ul className="list-plain" aria-label={t('start.server.networkList')}>
            {servers.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => {
                    setAddress(s.url)
                    void submit(s.url)
                  }}
                >
                  <strong>{s.name}</strong> <span className="muted">{s.url.replace(/^https?:\/\//, '')}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {hosting ? (
        <HostingPanel onUse={(localUrl) => void submit(localUrl)} />
      ) : (
        <button type="button" className="icon-btn" onClick={() => setHosting(true)}>
          {t('start.server.host')}
        </button>
      )}
    </>
  )
}

/** The server's name and sign-up mode; null until known (or when an older server cannot say). */
function useServerInfo(serverUrl: string): ServerInfo | null {
  const [info, setInfo] = useState<ServerInfo | null>(null)
  useEffect(() => {
    let live = true
    void api()
      .server.info({ serverUrl })
      .then((res) => live && res.ok && setInfo(res.data))
    return () => {
      live = false
    }
  }, [serverUrl])
  return info
}

function AccountStep(props: { serverUrl: string; name: string | null; version: string; codes: LinkCodes; initialUser: string; onBack: () => void }): React.JSX.Element {
  const { code, invite } = props.codes
  // A link with a sign-up invite code is for making an account.
  const { t } = useTranslation()
  const [mode, setMode] = useState<'signin' | 'register' | 'reset'>(props.initialUser && !invite ? 'signin' : 'register')
  const [username, setUsername] = useState(props.initialUser)
  const [password, setPassword] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [inviteCode, setInviteCode] = useState(invite ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const info = useServerInfo(props.serverUrl)
  // One name from the trust prompt on: the one the server announces (/health, the LAN list); server.info's for a server that does not say.
  const serverName = props.name ?? info?.name ?? null
  if (mode === 'reset') return <ResetPassword serverUrl={props.serverUrl} initialUser={username} byEmail={info?.passwordResetByEmail ?? null} onBack={() => setMode('signin')} />
  const submit = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      const store = useStore.getState()
      if (mode === 'signin') await store.signIn(props.serverUrl, username, password)
      else await store.register(props.serverUrl, username, password, displayName.trim() || undefined, inviteCode.trim() || undefined)
      // An invite link with a join code: into that group right away.
      if (code) {
        const joined = await api().conversations.join({ code })
        if (joined.ok) {
          useStore.getState().applyConversations({ upserted: [joined.data], removed: [] })
          useStore.getState().openConversation(joined.data.id)
        } else {
          // Signed in, but the link's code no longer works (or the network went): the join dialog says why and lets them retry.
          useStore.getState().openDialog({ kind: 'join', code, viaLink: true })
        }
      }
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
      setBusy(false)
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="row">
        <h2 className="spacer">
          {mode === 'signin'
            ? serverName
              ? t('start.account.signInTo', { name: serverName })
              : t('start.account.signIn')
            : serverName
              ? t('start.account.createOn', { name: serverName })
              : t('start.account.create')}
        </h2>
        <button type="button" className="icon-btn" onClick={props.onBack}>
          {t('start.account.changeServer')}
        </button>
      </div>
      <p className="muted">
        <Trans i18nKey="start.account.address" values={{ url: props.serverUrl }} components={{ strong: <strong /> }} />
        {code ? t('start.account.willJoin') : ''}
        {invite && mode === 'register' ? t('start.account.inviteFilled') : ''}
      </p>
      <div className="segmented" role="tablist" aria-label={t('start.account.tabs')}>
        <button type="button" role="tab" aria-selected={mode === 'signin'} onClick={() => setMode('signin')}>
          {t('start.account.signIn')}
        </button>
        <button type="button" role="tab" aria-selected={mode === 'register'} onClick={() => setMode('register')}>
          {t('start.account.createShort')}
        </button>
      </div>
      <label className="field">
        <span>{t('start.username')}</span>
        <input className="input" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus />
      </label>
      {mode === 'register' ? (
        <label className="field">
          <span>{t('start.account.displayName')}</span>
          <input className="input" value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" />
        </label>
      ) : null}
      {mode === 'register' && info?.registration === 'invite' ? (
        <label className="field">
          <span>{t('start.account.inviteCode')}</span>
          <input className="input join-code" value={inviteCode} onChange={(e) => setInviteCode(e.target.value)} placeholder="ABCDE-FGH12" autoComplete="off" />
        </label>
      ) : null}
      {mode === 'register' && info?.registration === 'closed' ? (
        <p className="muted">{t('errors.code.registration_closed')}</p>
      ) : null}
      <label className="field">
        <span>{t('start.password')}</span>
        <input
          className="input"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
        />
      </label>
      <ErrorLine error={error} />
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={busy || !username || !password}>
          {busy ? t('common.wait') : mode === 'signin' ? t('start.account.signIn') : t('start.account.createShort')}
        </button>
        <span className="spacer" />
        {mode === 'signin' ? (
          <button type="button" className="link-btn" onClick={() => setMode('reset')}>
            {t('start.account.forgot')}
          </button>
        ) : null}
      </div>
    </form>
  )
}
