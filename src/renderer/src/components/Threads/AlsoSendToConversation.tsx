import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/** The thread composer's "Also send to the conversation" (as Slack and Mattermost offer it). */
export function AlsoSendToConversation({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className="thread-also-send row">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{t('threads.composer.alsoSend')}</label>
    </div>
  )
}
