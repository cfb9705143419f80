// Issue 21: the do-not-disturb mark beside a person's presence dot, with its end in words.
import { useTranslation } from 'react-i18next'
import { isForever } from '../../../../shared/dnd'
import { i18n } from '../../i18n'
import { ahead, untilText } from '../../lib/attention-times'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'
import { useNow } from './useNow'
import './Attention.css'

/** The end of someone's do-not-disturb as their presence says, while it is ahead. */
export function useDndUntil(userId: string | undefined): string | null {
  const until = useStore((s) => (userId ? s.presence[userId]?.dndUntil : undefined))
  const now = useNow()
  return ahead(until, now) ? until : null
}

/** "Do not disturb until 17:00" (i18n.t: a TFunction parameter's types run too deep to check). */
export function dndLabel(until: string): string {
  return isForever(until) ? i18n.t('attention.dnd.mark') : i18n.t('attention.dnd.markUntil', { until: untilText(until) })
}

/** decorative: shown only, where the place has its own words (a sidebar row is named by its title). */
export function DndMark({ userId, decorative }: { userId: string | undefined; decorative?: boolean }): React.JSX.Element | null {
  // Re-renders on a change of language.
  useTranslation()
  const until = useDndUntil(userId)
  if (!until) return null
  const label = dndLabel(until)
  return (
    <span className="dnd-mark" title={label} data-testid="dnd-mark" {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label })}>
      <Icon name="moon" size={12} />
    </span>
  )
}
