// "Forgot password?": ask for a reset code (by email, or from an admin), then
// set a new password with it; that signs in.
import { useState } from 'react'
import { LIMITS } from '../../../../shared/limits'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'

/** `byEmail`: the server can email codes (false: only its admin gives them; null: not known). */
export function ResetPassword(props: { serverUrl: string; initialUser: string; byEmail: boolean | null; onBack: () => void }): React.JSX.Element {
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
        <h2 className="spacer">Set a new password</h2>
        <button type="button" className="icon-btn" onClick={props.onBack}>
          Back to sign in
        </button>
      </div>
      <p className="muted">
        You need a one-time reset code. Your server's admin can give you one
        {props.byEmail === false ? (
          '.'
        ) : (
          <>
            , or{' '}
            <button type="button" className="link-btn" disabled={busy || !username} onClick={() => void ask()}>
              send one to my email
            </button>
            .
          </>
        )}
      </p>
      {delivery ? (
        <p role="status" className="dialog-note">
          {delivery === 'email'
            ? 'If your account has an email address, a code is on its way. It works once and expires soon.'
            : 'This server cannot send email. Ask its admin for a reset code.'}
        </p>
      ) : null}
      <label className="field">
        <span>Username</span>
        <input className="input" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus />
      </label>
      <label className="field">
        <span>Reset code</span>
        <input className="input join-code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCDE-FGH12" autoComplete="one-time-code" />
      </label>
      <label className="field">
        <span>New password</span>
        <input className="input" type="password" value={password} minLength={LIMITS.passwordMin} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
      </label>
      <ErrorLine error={error} />
      <button className="btn btn-primary" type="submit" disabled={busy || !username || !code || password.length < LIMITS.passwordMin}>
        {busy ? 'Please wait…' : 'Set password and sign in'}
      </button>
    </form>
  )
}
