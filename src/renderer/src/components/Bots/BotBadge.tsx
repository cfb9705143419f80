// The bot mark (issue 21): "BOT" beside the name of a bot account or a
// webhook's identity, wherever people see a name, so nobody takes one for a person.
import { i18n, useLanguage } from '../../i18n'
import './Bots.css'

export function BotBadge(): React.JSX.Element {
  useLanguage()
  return (
    <span className="bot-badge" title={i18n.t('hooks.botLabel')}>
      {i18n.t('hooks.botBadge')}
    </span>
  )
}
