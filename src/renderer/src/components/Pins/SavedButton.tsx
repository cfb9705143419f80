// Issue 20: the sidebar's entry to the saved messages, under Threads (the
// header's icons leave room for a long name).
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

export function SavedButton(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <button className="sidebar-entry row" onClick={() => useStore.getState().openDialog({ kind: 'saved' })}>
      <Icon name="bookmark" />
      <span className="spacer">{t('pins.saved.button')}</span>
    </button>
  )
}
