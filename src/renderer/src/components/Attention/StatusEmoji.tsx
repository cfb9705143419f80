// Issue 21: a person's custom status emoji beside their name, while it has not expired.
import { useTranslation } from 'react-i18next'
import type { PublicUser } from '../../../../shared/schemas/users'
import { ahead } from '../../lib/attention-times'
import { useNow } from './useNow'

interface Props {
  user: Pick<PublicUser, 'statusEmoji' | 'statusText' | 'statusExpiresAt'> | undefined
  /** Shown only (where the name is read out with its own label, as a sidebar row is). */
  decorative?: boolean
}

export function StatusEmoji({ user, decorative }: Props): React.JSX.Element | null {
  const { t } = useTranslation()
  const now = useNow()
  if (!user?.statusEmoji) return null
  if (user.statusExpiresAt && !ahead(user.statusExpiresAt, now)) return null
  const label = user.statusText ? t('attention.status.shown', { emoji: user.statusEmoji, text: user.statusText }) : user.statusEmoji
  return (
    <span className="status-emoji" title={user.statusText || undefined} data-testid="status-emoji" {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label })}>
      {user.statusEmoji}
    </span>
  )
}
