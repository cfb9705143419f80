// Issue 20: the sidebar's way to the saved messages.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

export function SavedButton(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <button className="icon-btn" aria-label={t('pins.saved.button')} title={t('pins.saved.button')} onClick={() => useStore.getState().openDialog({ kind: 'saved' })}>
      <Icon name="bookmark" />
    </button>
  )
}
