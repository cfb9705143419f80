import { useTranslation } from 'react-i18next'
import { words } from '../../lib/api'
import { useStore } from '../../store'
import './ConnectionBar.css'

/** Always visible unless all is well: connecting, offline with what waits to be sent, reconnecting. */
export function ConnectionBar(): React.JSX.Element | null {
  const { t } = useTranslation()
  const c = useStore((s) => s.connection)
  if (c.status === 'online' && !c.syncing) return null
  if (c.error?.code === 'certificate_changed') {
    return (
      <div className="connection-bar connection-offline" role="alert" data-connection="certificate_changed">
        <span>{t('shell.connection.certificateChanged')}</span>
        <button className="btn connection-retry" onClick={() => useStore.getState().openDialog({ kind: 'certificate' })}>
          {t('shell.connection.review')}
        </button>
      </div>
    )
  }
  const queued = c.queued ? t('shell.connection.queued', { count: c.queued }) : ''
  const text =
    c.status === 'online'
      ? t('shell.connection.updating')
      : c.status === 'connecting'
        ? t('shell.connection.connecting')
        : c.status === 'reconnecting'
          ? t('shell.connection.reconnecting')
          : c.status === 'offline'
            ? // The server refused this connection for the others open: the person can close some.
              c.error?.code === 'too_many_connections'
              ? words(c.error)
              : t('shell.connection.offline')
            : t('shell.connection.signedOut')
  return (
    <div className={`connection-bar connection-${c.status}`} role="status" aria-live="polite" data-connection={c.status}>
      <span>
        {text}
        {queued}
      </span>
      {c.status === 'offline' || c.status === 'reconnecting' ? (
        <button className="btn connection-retry" onClick={() => useStore.getState().retryConnection()}>
          {t('shell.connection.retryNow')}
        </button>
      ) : null}
    </div>
  )
}
