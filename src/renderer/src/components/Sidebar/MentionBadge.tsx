// "@3" beside a conversation's unread count: messages that mention the user,
// named in words for screen readers ("3 mentions").
import { useTranslation } from 'react-i18next'

export function MentionBadge({ count }: { count: number }): React.JSX.Element {
  const { t } = useTranslation()
  const label = t('mentions.badge', { count })
  return (
    <span className="badge badge-mention" title={label} data-testid="mention-badge">
      <span aria-hidden="true">@{count > 99 ? '99+' : count}</span>
      {/* Read after the row's title and unread count: "Team, 2 unread, 1 mention". */}
      <span className="visually-hidden">{`, ${label}`}</span>
    </span>
  )
}
