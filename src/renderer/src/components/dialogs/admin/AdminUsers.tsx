// Accounts on the server: disable/enable, make or revoke admin, reset a password.
import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { AdminUser, PasswordReset } from '../../../../../shared/schemas/admin'
import { api, unwrap } from '../../../lib/api'
import { dateTime } from '../../../lib/format'
import { shownName } from '../../../lib/names'
import { useStore } from '../../../store'
import type { ConfirmRequest } from '../../../store/confirm'
import { selectMeId } from '../../../store/selectors'
import { Avatar } from '../../Avatar/Avatar'
import { ErrorLine } from '../ErrorLine'
import { errorText, useAction } from '../useAction'
import { UserExportButton, UserExportStatus } from './UserExport'
import { useAdminList } from './useAdminList'

export function AdminUsers(): React.JSX.Element {
  const { t } = useTranslation()
  const meId = useStore(selectMeId)
  const { items: users, setItems, loadError } = useAdminList(() => api().admin.users())
  const [reset, setReset] = useState<{ user: AdminUser; reset: PasswordReset } | null>(null)
  const { busy, error, run, setError } = useAction()
  const [exportId, setExportId] = useState<string | null>(null)
  const replace = (user: AdminUser): void => setItems((list) => list?.map((u) => (u.id === user.id ? user : u)) ?? null)
  const update = (user: AdminUser, patch: { disabled?: boolean; serverAdmin?: boolean }): void =>
    void run(`${user.id}:${Object.keys(patch)[0]}`, async () => replace(await unwrap(api().admin.updateUser({ userId: user.id, ...patch }))))
  const resetPassword = (user: AdminUser): void =>
    void run(`${user.id}:reset`, async () => setReset({ user, reset: await unwrap(api().admin.resetPassword({ userId: user.id })) }))
  // Disabling and resetting sign the person out everywhere: asked first. Enabling is not.
  const askThen = async (ask: ConfirmRequest, then: () => void): Promise<void> => {
    if (await useStore.getState().confirm(ask)) then()
  }
  const disable = (user: AdminUser): Promise<void> =>
    askThen(
      { title: t('admin.users.disableTitle', { name: shownName(user) }), body: t('admin.users.disableBody'), action: t('admin.users.disable') },
      () => update(user, { disabled: true })
    )
  const askReset = (user: AdminUser): Promise<void> =>
    askThen(
      {
        title: t('admin.users.resetTitle', { name: shownName(user) }),
        body: t('admin.users.resetBody'),
        action: t('admin.users.reset')
      },
      () => resetPassword(user)
    )

  if (!users) return loadError ? <ErrorLine error={loadError} /> : <p className="muted">{t('common.loading')}</p>
  return (
    <>
      {reset ? (
        <div className="dialog-note admin-reset" role="status">
          {reset.reset.code ? (
            <>
              <Trans i18nKey="admin.users.code" values={{ name: reset.user.displayName }} components={{ strong: <strong /> }} />{' '}
              <span className="join-code-value" data-testid="reset-code">
                {reset.reset.code}
              </span>
              <br />
              {t('admin.users.codeHow', { when: dateTime(reset.reset.expiresAt) })}
            </>
          ) : (
            <>
              <Trans i18nKey="admin.users.emailed" values={{ name: reset.user.displayName }} components={{ strong: <strong /> }} />
            </>
          )}
        </div>
      ) : null}
      {exportId ? <UserExportStatus exportId={exportId} /> : null}
      <ErrorLine error={error} />
      <ul className="list-plain dialog-list" aria-label={t('admin.users.list')}>
        {users.map((user) => (
          <li key={user.id} className="dialog-row" aria-label={user.displayName}>
            <Avatar name={user.displayName} image={user.avatar} size={32} />
            <span className="dialog-item-text">
              <span className="dialog-item-title">{shownName(user)}</span>
              <span className="muted">
                @{user.username}
                {user.serverAdmin ? t('admin.users.isAdmin') : ''}
                {user.disabled ? t('admin.users.isDisabled') : ''}
              </span>
            </span>
            <span className="row admin-actions">
              <button type="button" className="btn" disabled={busy !== null || user.id === meId} onClick={() => void (user.disabled ? update(user, { disabled: false }) : disable(user))}>
                {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
              </button>
              <button type="button" className="btn" disabled={busy !== null} onClick={() => update(user, { serverAdmin: !user.serverAdmin })}>
                {user.serverAdmin ? t('admin.users.revokeAdmin') : t('admin.users.makeAdmin')}
              </button>
              <button type="button" className="btn" disabled={busy !== null} onClick={() => void askReset(user)}>
                {busy === `${user.id}:reset` ? t('admin.users.resetting') : t('admin.users.reset')}
              </button>
              <UserExportButton user={user} disabled={busy !== null} onStarted={setExportId} onError={(err) => setError(errorText(err))} />
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}
