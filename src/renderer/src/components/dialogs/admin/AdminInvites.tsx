// Sign-up invite codes: make one (uses, expiry), see them, revoke them.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Invite } from '../../../../../shared/schemas/admin'
import { i18n } from '../../../i18n'
import { api, unwrap } from '../../../lib/api'
import { dateTime, duration } from '../../../lib/format'
import { ErrorLine } from '../ErrorLine'
import { useAction } from '../useAction'
import { useAdminList } from './useAdminList'

/** Words for each choice, in the window's language when shown. */
const EXPIRY: [() => string, number | undefined][] = [
  [() => i18n.t('admin.invites.never'), undefined],
  [() => duration(1, 'hour'), 3600],
  [() => duration(1, 'day'), 24 * 3600],
  [() => duration(7, 'day'), 7 * 24 * 3600],
  [() => duration(30, 'day'), 30 * 24 * 3600]
]

function state(invite: Invite): string {
  const t = i18n.t
  if (invite.expiresAt && Date.parse(invite.expiresAt) <= Date.now()) return t('admin.invites.expired')
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return t('admin.invites.usedUp')
  const uses = invite.maxUses === null ? t('admin.invites.uses', { count: invite.uses }) : t('admin.invites.usesOf', { count: invite.uses, max: invite.maxUses })
  return invite.expiresAt ? t('admin.invites.until', { uses, when: dateTime(invite.expiresAt) }) : uses
}

export function AdminInvites(): React.JSX.Element {
  const { t } = useTranslation()
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
      <p className="muted">{t('admin.invites.intro')}</p>
      <form
        className="row wrap dialog-enter"
        onSubmit={(e) => {
          e.preventDefault()
          create()
        }}
      >
        <label className="field">
          <span>{t('admin.invites.maxUses')}</span>
          <input className="input" type="number" min={1} max={10_000} value={maxUses} onChange={(e) => setMaxUses(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
        </label>
        <label className="field">
          <span>{t('admin.invites.expiry')}</span>
          <select className="input" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRY.map(([label], i) => (
              <option key={i} value={i}>
                {label()}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {busy === 'create' ? t('dialogs.joinCode.making') : t('admin.invites.new')}
        </button>
      </form>
      <ErrorLine error={error ?? loadError} />
      {invites?.length === 0 ? <p className="muted">{t('admin.invites.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('admin.tabs.invites')}>
        {invites?.map((invite) => (
          <li key={invite.code} className="dialog-row" aria-label={invite.code}>
            <span className="join-code-value">{invite.code}</span>
            <span className="muted spacer">{state(invite)}</span>
            <button type="button" className="btn" disabled={busy !== null} onClick={() => revoke(invite.code)}>
              {t('admin.invites.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
