// Server administration (server admins only): accounts, invite codes, settings.
import { useState } from 'react'
import { Dialog } from '../../Dialog/Dialog'
import { AdminInvites } from './AdminInvites'
import { AdminSettings } from './AdminSettings'
import { AdminUsers } from './AdminUsers'
import './admin.css'

type Tab = 'users' | 'invites' | 'settings'
const TABS: [Tab, string][] = [
  ['users', 'People'],
  ['invites', 'Invite codes'],
  ['settings', 'Server settings']
]

export function AdminDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('users')
  return (
    <Dialog title="Server administration" onClose={onClose} wide>
      <div className="segmented" role="tablist" aria-label="Administration">
        {TABS.map(([key, label]) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} onClick={() => setTab(key)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find(([key]) => key === tab)![1]}>
        {tab === 'users' ? <AdminUsers /> : tab === 'invites' ? <AdminInvites /> : <AdminSettings />}
      </div>
    </Dialog>
  )
}
