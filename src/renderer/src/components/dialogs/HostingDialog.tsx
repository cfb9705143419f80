import { useTranslation } from 'react-i18next'
import { Dialog } from '../Dialog/Dialog'
import { HostingPanel } from '../Hosting/HostingPanel'

export function HostingDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Dialog title={t('start.hosting.label')} onClose={onClose}>
      <HostingPanel />
    </Dialog>
  )
}
