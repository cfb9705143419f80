import { useTranslation } from 'react-i18next'
import { FirstRun } from './components/FirstRun/FirstRun'
import { MainWindow } from './components/MainWindow/MainWindow'
import { useStore } from './store'

export function App(): React.JSX.Element {
  const { t } = useTranslation()
  const status = useStore((s) => s.session?.status ?? null)
  // Adding an account goes through the first-run screen, over the window; the window comes back with both.
  const adding = useStore((s) => s.addingAccount !== null)
  if (status === null) return <div className="muted" style={{ padding: 24 }}>{t('common.starting')}</div>
  return status === 'signed_in' && !adding ? <MainWindow /> : <FirstRun />
}
