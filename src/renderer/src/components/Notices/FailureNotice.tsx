// A one-click action the server refused (a reaction, a delete), said in words.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'
import './Notices.css'

export function FailureNotice(): React.JSX.Element | null {
  const { t } = useTranslation()
  const failure = useStore((s) => s.failure)
  return (
    <div className="notices" role="alert" aria-label={t('shell.notices.problems')}>
      {failure ? (
        <div key={failure.key} className="notice notice-failure">
          <span className="notice-text">{failure.text}</span>
          <button type="button" className="icon-btn" aria-label={t('shell.notices.dismiss')} title={t('shell.notices.dismiss')} onClick={() => useStore.getState().dismissFailure()}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
    </div>
  )
}
