import { Dialog } from '../Dialog/Dialog'
import { HostingPanel } from '../Hosting/HostingPanel'

export function HostingDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  return (
    <Dialog title="Host a server" onClose={onClose}>
      <HostingPanel />
    </Dialog>
  )
}
