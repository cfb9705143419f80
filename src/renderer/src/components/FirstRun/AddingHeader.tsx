// The first-run screen while another account is added: says so, and goes back to the window.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'

export function AddingHeader(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="row">
      <h1 className="spacer">{t('start.adding.title')}</h1>
      <button type="button" className="icon-btn" onClick={() => useStore.getState().cancelAddAccount()}>
        {t('start.adding.back')}
      </button>
    </div>
  )
}
