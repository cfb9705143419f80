// Server administration (server admins only): accounts, invite codes, settings.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../Dialog/Dialog'
import { AdminInvites } from './AdminInvites'
import { AdminSettings } from './AdminSettings'
import { AdminUsers } from './AdminUsers'
import { UserGroupsPanel } from '../user-groups/UserGroupsPanel'
import { AdminBots } from '../../Bots/AdminBots'
import './admin.css'

type Tab = 'users' | 'groups' | 'bots' | 'invites' | 'settings'
const TABS = [
  ['users', 'admin.tabs.users'],
  ['groups', 'userGroups.title'],
  ['bots', 'hooks.bots.title'],
  ['invites', 'admin.tabs.invites'],
  ['settings', 'admin.tabs.settings']
] as const satisfies readonly (readonly [Tab, string])[]

export function AdminDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [tab, setTab] = useState<Tab>('users')
  return (
    <Dialog title={t('shell.sidebar.admin')} onClose={onClose} wide>
      <div className="segmented" role="tablist" aria-label={t('admin.tabs.label')}>
        {TABS.map(([key, label]) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} onClick={() => setTab(key)}>
            {t(label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={t(TABS.find(([key]) => key === tab)![1])}>
        {tab === 'users' ? <AdminUsers /> : tab === 'groups' ? <UserGroupsPanel admin /> : tab === 'bots' ? <AdminBots /> : tab === 'invites' ? <AdminInvites /> : <AdminSettings />}
      </div>
    </Dialog>
  )
}
