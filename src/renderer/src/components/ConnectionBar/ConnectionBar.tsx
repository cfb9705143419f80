import { words } from '../../lib/api'
import { useStore } from '../../store'
import './ConnectionBar.css'

/** Always visible unless all is well: connecting, offline with what waits to be sent, reconnecting. */
export function ConnectionBar(): React.JSX.Element | null {
  const c = useStore((s) => s.connection)
  if (c.status === 'online' && !c.syncing) return null
  if (c.error?.code === 'certificate_changed') {
    return (
      <div className="connection-bar connection-offline" role="alert" data-connection="certificate_changed">
        <span>The server’s certificate changed: not connecting until you check it.</span>
        <button className="btn connection-retry" onClick={() => useStore.getState().openDialog({ kind: 'certificate' })}>
          Review
        </button>
      </div>
    )
  }
  const queued = c.queued ? ` · ${c.queued} message${c.queued === 1 ? '' : 's'} waiting to send` : ''
  const text =
    c.status === 'online'
      ? 'Updating…'
      : c.status === 'connecting'
        ? 'Connecting…'
        : c.status === 'reconnecting'
          ? 'Reconnecting…'
          : c.status === 'offline'
            ? // The server refused this connection for the others open: the person can close some.
              c.error?.code === 'too_many_connections'
              ? words(c.error)
              : 'Offline: showing saved messages'
            : 'Signed out'
  return (
    <div className={`connection-bar connection-${c.status}`} role="status" aria-live="polite" data-connection={c.status}>
      <span>
        {text}
        {queued}
      </span>
      {c.status === 'offline' || c.status === 'reconnecting' ? (
        <button className="btn connection-retry" onClick={() => useStore.getState().retryConnection()}>
          Retry now
        </button>
      ) : null}
    </div>
  )
}
