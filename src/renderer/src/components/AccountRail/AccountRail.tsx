// The account switcher: each signed-in account's avatar down the window's
// left edge, as Slack shows its workspaces, with its server's name on hover
// and an unread badge for the ones in the background. Shown once there are
// two accounts; "Add account" is in the profile dialog before that.
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { serverLabel } from '../../../../shared/accounts'
import { railOrder } from '../../store/accounts'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { accountShortcut } from '../../lib/account-keys'
import { useAccountShortcuts } from './useAccountShortcuts'
import './AccountRail.css'

export function AccountRail(): React.JSX.Element | null {
  const { t } = useTranslation()
  const accounts = useStore(useShallow((s) => (s.session?.status === 'signed_in' ? s.session.accounts : [])))
  const shownId = useStore((s) => (s.session?.status === 'signed_in' ? s.session.account.id : null))
  const unread = useStore((s) => s.unread)
  const info = useStore((s) => s.appInfo)
  useAccountShortcuts()
  if (accounts.length < 2) return null
  return (
    <nav className="account-rail" aria-label={t('shell.rail.accounts')}>
      <ul className="list-plain">
        {railOrder(accounts).map((a, i) => {
          const shown = a.id === shownId
          const count = shown ? 0 : (unread[a.id] ?? 0)
          // Every signed-in account has a total; one without has had its sign-in ended by the server (a click signs in again).
          const signedOut = info !== null && !shown && !(a.id in unread)
          const name = signedOut ? t('shell.rail.accountSignedOut', { name: a.displayName, server: serverLabel(a) }) : t('shell.rail.account', { name: a.displayName, server: serverLabel(a) })
          const key = i < 9 ? accountShortcut(info, i + 1) : null
          return (
            <li key={a.id}>
              <button
                type="button"
                className={`account-rail-item${shown ? ' is-shown' : ''}${signedOut ? ' is-signed-out' : ''}`}
                aria-current={shown ? 'true' : undefined}
                title={key ? t('shell.rail.withKey', { name, shortcut: key }) : name}
                onClick={() => void useStore.getState().reportFailure(t('shell.rail.openFailed'), () => useStore.getState().switchAccount(a.id))}
              >
                <Avatar name={a.displayName} size={36} />
                {/* Named by its content, not aria-label: the initials it shows are not the name (axe's label-content-name-mismatch). */}
                <span className="visually-hidden">{count ? t('shell.rail.unread', { name, count }) : name}</span>
                {count ? (
                  <span className="badge account-rail-badge" aria-hidden="true">
                    {count > 99 ? '99+' : count}
                  </span>
                ) : null}
              </button>
            </li>
          )
        })}
      </ul>
      <button type="button" className="account-rail-add" aria-label={t('shell.rail.add')} title={t('shell.rail.add')} onClick={() => useStore.getState().startAddAccount()}>
        +
      </button>
    </nav>
  )
}
