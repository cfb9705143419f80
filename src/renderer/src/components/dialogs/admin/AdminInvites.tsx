// Sign-up invite codes: make one (uses, expiry), see them, revoke them.
import { useState } from 'react'
import type { Invite } from '../../../../../shared/schemas/admin'
import { api, unwrap } from '../../../lib/api'
import { ErrorLine } from '../ErrorLine'
import { useAction } from '../useAction'
import { useAdminList } from './useAdminList'

const EXPIRY: [string, number | undefined][] = [
  ['Never expires', undefined],
  ['1 hour', 3600],
  ['1 day', 24 * 3600],
  ['7 days', 7 * 24 * 3600],
  ['30 days', 30 * 24 * 3600]
]

function state(invite: Invite): string {
  if (invite.expiresAt && Date.parse(invite.expiresAt) <= Date.now()) return 'expired'
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used up'
  const uses = invite.maxUses === null ? `${invite.uses} uses` : `${invite.uses} of ${invite.maxUses} used`
  return invite.expiresAt ? `${uses} · until ${new Date(invite.expiresAt).toLocaleString()}` : uses
}

export function AdminInvites(): React.JSX.Element {
  const { items: invites, setItems, loadError } = useAdminList(() => api().admin.invites())
  const [maxUses, setMaxUses] = useState(1)
  const [expiry, setExpiry] = useState(0)
  const { busy, error, run } = useAction()
  const create = (): void =>
    void run('create', async () => {
      const expiresInSeconds = EXPIRY[expiry]![1]
      const invite = await unwrap(api().admin.createInvite({ maxUses, ...(expiresInSeconds ? { expiresInSeconds } : {}) }))
      setItems((list) => [...(list ?? []), invite])
    })
  const revoke = (code: string): void =>
    void run(`revoke:${code}`, async () => {
      await unwrap(api().admin.deleteInvite({ code }))
      setItems((list) => list?.filter((i) => i.code !== code) ?? null)
    })

  return (
    <>
      <p className="muted">When sign-up is by invitation (Server settings), new people need one of these codes to create an account.</p>
      <form
        className="row wrap dialog-enter"
        onSubmit={(e) => {
          e.preventDefault()
          create()
        }}
      >
        <label className="field">
          <span>Accounts it can make</span>
          <input className="input" type="number" min={1} max={10_000} value={maxUses} onChange={(e) => setMaxUses(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
        </label>
        <label className="field">
          <span>Expiry</span>
          <select className="input" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRY.map(([label], i) => (
              <option key={label} value={i}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {busy === 'create' ? 'Making…' : 'New invite code'}
        </button>
      </form>
      <ErrorLine error={error ?? loadError} />
      {invites?.length === 0 ? <p className="muted">No invite codes yet.</p> : null}
      <ul className="list-plain dialog-list" aria-label="Invite codes">
        {invites?.map((invite) => (
          <li key={invite.code} className="dialog-row" aria-label={invite.code}>
            <span className="join-code-value">{invite.code}</span>
            <span className="muted spacer">{state(invite)}</span>
            <button type="button" className="btn" disabled={busy !== null} onClick={() => revoke(invite.code)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
