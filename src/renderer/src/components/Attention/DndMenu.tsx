// Issue 21: do-not-disturb from the user's own name in the sidebar: 30
// minutes, 1 hour, until tomorrow, until a chosen time, off, and the work
// hours on or off. A badge on the avatar (the name keeps its width), moon-coloured while on; the time left is its name and heads its menu.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { dndEnd } from '../../../../shared/dnd'
import { fromLocalInput, untilOf, untilText, type UntilChoice } from '../../lib/attention-times'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'
import { Icon } from '../Icon/Icon'
import { dndLabel } from './DndMark'
import { MenuItem, PopupMenu } from './PopupMenu'
import { useNow } from './useNow'

const CHOICES = ['m30', 'h1', 'tomorrow'] as const satisfies UntilChoice[]

export function DndMenu(): React.JSX.Element | null {
  const { t } = useTranslation()
  const prefs = useStore((s) => s.notificationPrefs)
  const [open, setOpen] = useState(false)
  const [picking, setPicking] = useState(false)
  const [chosen, setChosen] = useState('')
  const { error, run } = useAction()
  const now = useNow()
  if (!prefs) return null
  const until = dndEnd(prefs, now)
  const act = (fn: () => Promise<void>): void => {
    void run('dnd', fn).then((ok) => {
      if (ok) {
        setOpen(false)
        setPicking(false)
      }
    })
  }
  const setDnd = (iso: string | null): void => act(() => useStore.getState().setDnd(iso))
  const hours = prefs.workHours
  const label = until ? dndLabel(until) : t('attention.dnd.button')
  return (
    <div className="dnd-menu">
      <button
        type="button"
        className={`icon-btn dnd-button${until ? ' dnd-on' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        title={label}
        data-testid="dnd-button"
        onClick={() => setOpen(!open)}
      >
        <Icon name="moon" size={12} />
      </button>
      {open ? (
        <PopupMenu label={t('attention.dnd.menu')} onClose={() => setOpen(false)} testId="dnd-menu">
          {until ? <p className="attention-menu-note">{t('attention.dnd.left', { until: untilText(until) })}</p> : null}
          {CHOICES.map((c) => (
            <MenuItem key={c} onClick={() => setDnd(untilOf(c))}>
              {t(`attention.until.${c}`)}
            </MenuItem>
          ))}
          {picking ? (
            <form
              className="row attention-menu-form"
              onSubmit={(e) => {
                e.preventDefault()
                const iso = fromLocalInput(chosen)
                if (iso) setDnd(iso)
              }}
            >
              <label>
                <span className="visually-hidden">{t('attention.until.pick')}</span>
                <input className="input" type="datetime-local" value={chosen} onChange={(e) => setChosen(e.target.value)} required />
              </label>
              <button type="submit" className="btn">{t('attention.set')}</button>
            </form>
          ) : (
            <MenuItem onClick={() => setPicking(true)}>{t('attention.until.pick')}</MenuItem>
          )}
          {prefs.dndUntil ? <MenuItem onClick={() => setDnd(null)}>{t('attention.dnd.off')}</MenuItem> : null}
          {hours ? (
            <MenuItem checked={hours.enabled} onClick={() => act(() => useStore.getState().updateNotificationPrefs({ workHours: { ...hours, enabled: !hours.enabled } }))}>
              {t('attention.dnd.workHours')}
            </MenuItem>
          ) : null}
          <MenuItem
            onClick={() => {
              setOpen(false)
              useStore.getState().openDialog({ kind: 'notifications' })
            }}
          >
            {t('attention.prefs.open')}
          </MenuItem>
          <ErrorLine error={error} />
        </PopupMenu>
      ) : null}
    </div>
  )
}
