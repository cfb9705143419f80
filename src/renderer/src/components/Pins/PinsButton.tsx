// Issue 20: the conversation header's pins button, with the count; opens the pins list.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { selectPins } from '../../store/pins-selectors'
import { Icon } from '../Icon/Icon'
import './Pins.css'

export function PinsButton({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const count = useStore((s) => selectPins(conversationId)(s).length)
  const label = t('pins.button', { count })
  return (
    <button className="btn pins-button" aria-label={label} title={label} onClick={() => useStore.getState().openDialog({ kind: 'pins', conversationId })}>
      <Icon name="pin" size={16} />
      <span aria-hidden="true">{count}</span>
    </button>
  )
}
