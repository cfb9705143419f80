// A button that asks once more before doing something that cannot be undone.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  label: string
  /** The question, e.g. "Delete this group for everyone?" */
  question: string
  onConfirm: () => void
  busy?: boolean
  danger?: boolean
}

export function ConfirmButton({ label, question, onConfirm, busy, danger = true }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const answered = useRef(false)
  const cls = `btn${danger ? ' btn-danger' : ''}`

  // Focus goes back to the button once the question is answered, not to the page.
  useEffect(() => {
    if (!asking && answered.current) {
      answered.current = false
      button.current?.focus()
    }
  }, [asking])
  const done = (): void => {
    answered.current = true
    setAsking(false)
  }

  if (!asking) {
    return (
      <button ref={button} type="button" className={cls} disabled={busy} onClick={() => setAsking(true)}>
        {label}
      </button>
    )
  }
  return (
    <div className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <div className="row">
        <button
          type="button"
          className={cls}
          disabled={busy}
          onClick={() => {
            done()
            onConfirm()
          }}
        >
          {t('dialogs.confirmYes', { label })}
        </button>
        {/* Cancel has the focus: Enter right after the first click never destroys anything. */}
        <button type="button" className="btn" autoFocus onClick={done}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  )
}
