// Issue 21 item 4: the clock beside Send. It opens a small menu of times (in
// an hour, tomorrow at 9:00, next Monday at 9:00) and "Choose a time…" with a
// date-time input; picking one schedules the composer's text.
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fromLocalInput, inFuture, LATER_PRESETS, presetTime, toLocalInput } from '../../lib/send-later'
import { Icon } from '../Icon/Icon'
import './Scheduled.css'

export function SendLater({ disabled, onPick }: { disabled: boolean; onPick: (sendAt: Date) => Promise<boolean> }): React.JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [choosing, setChoosing] = useState(false)
  const [value, setValue] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const button = useRef<HTMLButtonElement>(null)
  const close = (): void => {
    setOpen(false)
    setChoosing(false)
    setProblem(null)
    button.current?.focus()
  }
  const pick = async (at: Date): Promise<void> => {
    if (await onPick(at)) close()
  }
  const chosen = async (): Promise<void> => {
    const at = fromLocalInput(value)
    if (!inFuture(at)) return setProblem(t('scheduled.later.past'))
    await pick(at)
  }
  return (
    <div className="send-later" onKeyDown={(e) => e.key === 'Escape' && open && (e.stopPropagation(), close())}>
      <button
        ref={button}
        type="button"
        className="icon-btn"
        aria-label={t('scheduled.later.button')}
        title={t('scheduled.later.button')}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <Icon name="clock" />
      </button>
      {open ? (
        <div className="send-later-menu" role="menu" aria-label={t('scheduled.later.menu')}>
          {LATER_PRESETS.map((preset, i) => (
            <button key={preset} type="button" role="menuitem" autoFocus={i === 0} onClick={() => void pick(presetTime(preset))}>
              {t(`scheduled.later.${preset}`)}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setValue(toLocalInput(presetTime('inAnHour')))
              setChoosing(true)
            }}
          >
            {t('scheduled.later.choose')}
          </button>
          {choosing ? (
            <form
              className="send-later-choose"
              onSubmit={(e) => {
                e.preventDefault()
                void chosen()
              }}
            >
              <label>
                {t('scheduled.later.at')}
                <input type="datetime-local" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
              </label>
              <button type="submit" className="btn btn-primary">
                {t('scheduled.later.schedule')}
              </button>
              {problem ? (
                <p role="alert" className="error">
                  {problem}
                </p>
              ) : null}
            </form>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
