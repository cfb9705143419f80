// "Who can use @here and @all" in a group's or room's settings: admins choose,
// members see the choice.
import { useTranslation } from 'react-i18next'
import type { Conversation } from '../../../../shared/schemas/conversations'
import { BroadcastMentions } from '../../../../shared/schemas/groups'
import { setBroadcastMentions } from '../../store/mention-actions'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'

export function BroadcastMentionsSetting({ c, isAdmin }: { c: Conversation; isAdmin: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const { busy, error, run } = useAction()
  const label = t('mentions.broadcast.label')
  const choice = (value: BroadcastMentions): string => t(value === 'admins' ? 'mentions.broadcast.admins' : 'mentions.broadcast.everyone')
  if (!isAdmin) {
    return (
      <section className="group-broadcast">
        <p className="muted">{`${label}: ${choice(c.broadcastMentions)}`}</p>
      </section>
    )
  }
  return (
    <section className="group-broadcast">
      <label className="field">
        <span>{label}</span>
        <select
          className="input"
          value={c.broadcastMentions}
          disabled={busy !== null}
          onChange={(e) => {
            const value = BroadcastMentions.parse(e.target.value)
            void run('broadcast', () => setBroadcastMentions(c.id, value))
          }}
        >
          {BroadcastMentions.options.map((value) => (
            <option key={value} value={value}>
              {choice(value)}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine error={error} />
    </section>
  )
}
