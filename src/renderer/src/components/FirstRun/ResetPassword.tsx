// "Forgot password?": ask for a reset code (by email, or from an admin), then
// set a new password with it; that signs in.
import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'

/** `byEmail`: the server can email codes (false: only its admin gives them; null: not known). */
export function ResetPassword(props: { serverUrl: string; initialUser: string; byEmail: boolean | null; onBack: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [username, setUsername] = useState(props.initialUser)
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [delivery, setDelivery] = useState<'email' | 'admin' | null>(null)
  // One request at a time, its failure shown in words: the dialogs' own helper.
  const { busy: running, error, run } = useAction()
  const busy = running !== null
  const attempt = async (fn: () => Promise<void>): Promise<void> => {
    await run('reset', fn)
  }
  const ask = (): Promise<void> =>
    attempt(async () => setDelivery((await unwrap(api().session.requestReset({ serverUrl: props.serverUrl, username }))).delivery))
  const submit = (): Promise<void> => attempt(() => useStore.getState().resetPassword(props.serverUrl, username, code, password))

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="row">
        <h2 className="spacer">{t('start.reset.title')}</h2>
        <button type="button" className="icon-btn" onClick={props.onBack}>
          {t('start.reset.back')}
        </button>
      </div>
      <p className="muted">
        {props.byEmail === false ? (
          t('start.reset.needCode')
        ) : (
          <Trans
            i18nKey="start.reset.needCodeOrEmail"
            components={{ email: <button type="button" className="link-btn" disabled={busy || !username} onClick={() => void ask()} /> }}
          />
        )}
      </p>
      {delivery ? (
        <p role="status" className="dialog-note">
          {delivery === 'email'
            ? t('start.reset.sent')
            : t('start.reset.noEmail')}
        </p>
      ) : null}
      <label className="field">
        <span>{t('start.username')}</span>
        <input className="input" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus />
      </label>
      <label className="field">
        <span>{t('start.reset.code')}</span>
        <input className="input join-code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCDE-FGH12" autoComplete="one-time-code" />
      </label>
      <label className="field">
        <span>{t('start.reset.newPassword')}</span>
        <input className="input" type="password" value={password} minLength={LIMITS.passwordMin} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
      </label>
      <ErrorLine error={error} />
      <button className="btn btn-primary" type="submit" disabled={busy || !username || !code || password.length < LIMITS.passwordMin}>
        {busy ? t('common.wait') : t('start.reset.submit')}
      </button>
    </form>
  )
}
