// Issue 21: the custom status in the profile: an emoji (the full picker), its
// text and when it clears by itself.
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { fromLocalInput, untilOf, type UntilChoice } from '../../lib/attention-times'
import { useStore } from '../../store'
import { selectMe } from '../../store/selectors'
import { EmojiPickerPopover } from '../EmojiPicker/EmojiPicker'
import { ErrorLine } from '../dialogs/ErrorLine'
import { useAction } from '../dialogs/useAction'
import { Icon } from '../Icon/Icon'

type ClearAfter = 'never' | Extract<UntilChoice, 'm30' | 'h1' | 'h4' | 'today' | 'week'> | 'pick'
const CLEAR_AFTER: ClearAfter[] = ['never', 'm30', 'h1', 'h4', 'today', 'week', 'pick']

export function CustomStatusEditor(): React.JSX.Element | null {
  const { t } = useTranslation()
  const me = useStore(selectMe)
  const [emoji, setEmoji] = useState<string | null>(me?.statusEmoji ?? null)
  const [text, setText] = useState(me?.statusText ?? '')
  const [clearAfter, setClearAfter] = useState<ClearAfter>('never')
  const [picked, setPicked] = useState('')
  const [picker, setPicker] = useState<{ x: number; y: number } | null>(null)
  const emojiButton = useRef<HTMLButtonElement>(null)
  const { busy, error, run } = useAction()
  if (!me) return null

  const save = (): void => {
    const expiresAt = clearAfter === 'never' ? null : clearAfter === 'pick' ? fromLocalInput(picked) : untilOf(clearAfter)
    void run('status', () => useStore.getState().setCustomStatus({ text: text.trim(), emoji, expiresAt }))
  }
  const clear = (): void => {
    void run('status', async () => {
      await useStore.getState().setCustomStatus({ text: '', emoji: null, expiresAt: null })
      setText('')
      setEmoji(null)
    })
  }

  return (
    <form
      className="custom-status"
      aria-label={t('attention.status.title')}
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <div className="row">
        <button
          ref={emojiButton}
          type="button"
          className="icon-btn status-emoji-button"
          aria-label={emoji ? t('attention.status.emojiChosen', { emoji }) : t('attention.status.emoji')}
          aria-expanded={picker !== null}
          data-testid="status-emoji-button"
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect()
            setPicker(picker ? null : { x: r.left, y: r.bottom + 4 })
          }}
        >
          {emoji ?? <Icon name="smile" />}
        </button>
        <label className="field grow">
          <span>{t('dialogs.profile.status')}</span>
          <input className="input" value={text} maxLength={LIMITS.statusTextMax} placeholder={t('dialogs.profile.statusPlaceholder')} onChange={(e) => setText(e.target.value)} />
        </label>
      </div>
      {picker ? (
        <EmojiPickerPopover
          at={picker}
          toggle={emojiButton}
          onPick={({ emoji: chosen }) => {
            setEmoji(chosen)
            setPicker(null)
          }}
          onClose={() => setPicker(null)}
        />
      ) : null}
      <div className="row">
        <label className="field">
          <span>{t('attention.status.clearAfter')}</span>
          <select className="input" value={clearAfter} onChange={(e) => setClearAfter(e.target.value as ClearAfter)}>
            {CLEAR_AFTER.map((c) => (
              <option key={c} value={c}>
                {t(`attention.status.after.${c}`)}
              </option>
            ))}
          </select>
        </label>
        {clearAfter === 'pick' ? (
          <label className="field">
            <span>{t('attention.until.pick')}</span>
            <input className="input" type="datetime-local" value={picked} required onChange={(e) => setPicked(e.target.value)} />
          </label>
        ) : null}
      </div>
      <ErrorLine error={error} />
      <div className="row">
        <span className="spacer" />
        {emoji || me.statusText ? (
          <button type="button" className="btn" disabled={busy !== null} onClick={clear}>
            {t('attention.status.clear')}
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {t('attention.status.save')}
        </button>
      </div>
    </form>
  )
}
