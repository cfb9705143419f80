// The user groups a manager who is not a server admin may change (from their profile).
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../Dialog/Dialog'
import { UserGroupsPanel } from './UserGroupsPanel'

export function UserGroupsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Dialog title={t('userGroups.title')} onClose={onClose} wide>
      <UserGroupsPanel admin={false} />
    </Dialog>
  )
}
