// The servers this app signed in to before, kept after signing out of the
// last account: one click picks one again.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'

export function KnownServers({ busy, onPick }: { busy: boolean; onPick: (serverUrl: string) => void }): React.JSX.Element | null {
  const { t } = useTranslation()
  const servers = useStore((s) => s.knownServers)
  useEffect(() => {
    useStore.getState().loadKnownServers().catch(() => undefined)
  }, [])
  if (servers.length === 0) return null
  return (
    <div className="discovered">
      <h3 className="muted">{t('start.known')}</h3>
      <ul className="list-plain" aria-label={t('start.known')}>
        {servers.map((s) => (
          <li key={s.serverUrl}>
            <button type="button" disabled={busy} onClick={() => onPick(s.serverUrl)}>
              <strong>{s.name ?? s.serverUrl.replace(/^https?:\/\//, '')}</strong> <span className="muted">{s.serverUrl.replace(/^https?:\/\//, '')}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
