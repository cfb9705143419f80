// Issue 21: a conversation's notifications, from its header: all, mentions or
// nothing, or muted for 1 hour, 8 hours, until tomorrow or for ever.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { NotifyLevel } from '../../../../shared/schemas/notification-prefs'
import { ahead, untilOf, untilText, type UntilChoice } from '../../lib/attention-times'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'
import { Icon } from '../Icon/Icon'
import { MenuItem, PopupMenu } from './PopupMenu'
import { useNow } from './useNow'

const LEVELS: NotifyLevel[] = ['all', 'mentions', 'none']
const MUTES = ['h1', 'h8', 'tomorrow', 'forever'] as const satisfies UntilChoice[]

export function NotifyMenu({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const prefs = useStore((s) => s.notificationPrefs)
  const [open, setOpen] = useState(false)
  const { error, run } = useAction()
  const now = useNow()
  if (!prefs) return null
  const entry = prefs.conversations[conversationId]
  const level = entry?.level ?? prefs.level
  const mutedUntil = ahead(entry?.mutedUntil, now) ? entry.mutedUntil : null
  const change = (next: { level?: NotifyLevel; mutedUntil?: string | null }): void => {
    const merged = { ...entry, ...next }
    const keep = merged.level !== undefined || !!merged.mutedUntil
    void run('notify', () => useStore.getState().setConversationNotify(conversationId, keep ? merged : null)).then((ok) => ok && setOpen(false))
  }
  const label = mutedUntil ? t('attention.notify.mutedUntil', { until: untilText(mutedUntil) }) : t('attention.notify.button', { level: t(`attention.level.${level}`) })
  return (
    <div className="notify-menu">
      <button type="button" className="btn" aria-haspopup="menu" aria-expanded={open} aria-label={label} title={label} data-testid="notify-button" onClick={() => setOpen(!open)}>
        <Icon name={mutedUntil || level === 'none' ? 'bellOff' : 'bell'} size={16} />
      </button>
      {open ? (
        <PopupMenu label={t('attention.notify.menu')} onClose={() => setOpen(false)}>
          {LEVELS.map((l) => (
            <MenuItem key={l} checked={level === l} onClick={() => change({ level: l === prefs.level ? undefined : l })}>
              {t(`attention.level.${l}`)}
            </MenuItem>
          ))}
          <hr />
          {MUTES.map((c) => (
            <MenuItem key={c} onClick={() => change({ mutedUntil: untilOf(c) })}>
              {t(`attention.notify.mute.${c}`)}
            </MenuItem>
          ))}
          {mutedUntil ? <MenuItem onClick={() => change({ mutedUntil: null })}>{t('attention.notify.unmute')}</MenuItem> : null}
          <ErrorLine error={error} />
        </PopupMenu>
      ) : null}
    </div>
  )
}
