// Issue 21: notification preferences kept by the server for every device:
// the default level, sound, keywords and the weekly work hours (outside them,
// do-not-disturb), in a time zone that defaults to this computer's.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { KEYWORDS_MAX, type NotifyLevel, type WorkHours } from '../../../../shared/schemas/notification-prefs'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'

const LEVELS: NotifyLevel[] = ['all', 'mentions', 'none']
/** Monday first, as a work week reads; day 0 is Sunday. */
const WEEK = [1, 2, 3, 4, 5, 6, 0]
const systemZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

interface DayRow {
  on: boolean
  start: string
  end: string
}

function rowsOf(hours: WorkHours | null): Record<number, DayRow> {
  const rows: Record<number, DayRow> = {}
  for (const day of WEEK) {
    const found = hours?.days.find((d) => d.day === day)
    rows[day] = found ? { on: true, start: found.start, end: found.end } : { on: !hours && day >= 1 && day <= 5, start: '09:00', end: '17:00' }
  }
  return rows
}

/** The weekday's name in the window's language (2026-03-01 was a Sunday). */
const dayName = (day: number, lng: string): string => new Intl.DateTimeFormat(lng, { weekday: 'long' }).format(new Date(Date.UTC(2026, 2, 1 + day, 12)))

export function NotificationsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const prefs = useStore((s) => s.notificationPrefs)
  const [level, setLevel] = useState<NotifyLevel>(prefs?.level ?? 'all')
  const [sound, setSound] = useState(prefs?.sound ?? true)
  const [keywords, setKeywords] = useState((prefs?.keywords ?? []).join(', '))
  const [hoursOn, setHoursOn] = useState(prefs?.workHours?.enabled ?? false)
  const [zone, setZone] = useState(prefs?.workHours?.timeZone ?? systemZone())
  const [days, setDays] = useState(() => rowsOf(prefs?.workHours ?? null))
  const { busy, error, run } = useAction()
  const setDay = (day: number, change: Partial<DayRow>): void => setDays((d) => ({ ...d, [day]: { ...d[day]!, ...change } }))

  const save = (): void => {
    const words = keywords
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean)
      .slice(0, KEYWORDS_MAX)
    const workHours: WorkHours = {
      enabled: hoursOn,
      timeZone: zone.trim(),
      days: WEEK.filter((d) => days[d]!.on).map((day) => ({ day, start: days[day]!.start, end: days[day]!.end }))
    }
    void run('save', async () => {
      await useStore.getState().updateNotificationPrefs({ level, sound, keywords: words, workHours })
      onClose()
    })
  }

  return (
    <Dialog title={t('attention.prefs.title')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <fieldset className="field">
          <legend>{t('attention.prefs.level')}</legend>
          {LEVELS.map((l) => (
            <label key={l} className="row check">
              <input type="radio" name="notify-level" checked={level === l} onChange={() => setLevel(l)} />
              <span>{t(`attention.level.${l}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="row check">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} />
          <span>{t('attention.prefs.sound')}</span>
        </label>
        <label className="field">
          <span>{t('attention.prefs.keywords')}</span>
          <input className="input" value={keywords} placeholder={t('attention.prefs.keywordsPlaceholder')} onChange={(e) => setKeywords(e.target.value)} />
        </label>
        <fieldset className="field work-hours">
          <legend>{t('attention.prefs.workHours')}</legend>
          <label className="row check">
            <input type="checkbox" checked={hoursOn} onChange={(e) => setHoursOn(e.target.checked)} />
            <span>{t('attention.prefs.workHoursOn')}</span>
          </label>
          <label className="field">
            <span>{t('attention.prefs.timeZone')}</span>
            <input className="input" value={zone} required onChange={(e) => setZone(e.target.value)} />
          </label>
          {WEEK.map((day) => {
            const name = dayName(day, i18n.language)
            const row = days[day]!
            return (
              <div key={day} className="row work-day">
                <label className="row check">
                  <input type="checkbox" checked={row.on} onChange={(e) => setDay(day, { on: e.target.checked })} />
                  <span>{name}</span>
                </label>
                <label>
                  <span className="visually-hidden">{t('attention.prefs.start', { day: name })}</span>
                  <input className="input" type="time" value={row.start} disabled={!row.on} required onChange={(e) => setDay(day, { start: e.target.value })} />
                </label>
                <label>
                  <span className="visually-hidden">{t('attention.prefs.end', { day: name })}</span>
                  <input className="input" type="time" value={row.end} disabled={!row.on} required onChange={(e) => setDay(day, { end: e.target.value })} />
                </label>
              </div>
            )
          })}
        </fieldset>
        <ErrorLine error={error} />
        <div className="row dialog-actions">
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy !== null}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
