// Issue 20: the composer's emoji button opens the full picker; the emoji goes
// in at the caret (replacing a selection), and the caret lands after it.
import { useRef, useState, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { EmojiPickerPopover } from '../EmojiPicker/EmojiPicker'
import { Icon } from '../Icon/Icon'

export function ComposerEmoji({ box, onText }: { box: RefObject<HTMLTextAreaElement | null>; onText: (text: string) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [at, setAt] = useState<{ x: number; y: number } | null>(null)
  const button = useRef<HTMLButtonElement>(null)
  const insert = (emoji: string): void => {
    const el = box.current
    if (!el) return
    const start = el.selectionStart ?? el.value.length
    const end = el.selectionEnd ?? start
    const next = el.value.slice(0, start) + emoji + el.value.slice(end)
    onText(next)
    const caret = start + emoji.length
    // After React has put the new text in the box.
    requestAnimationFrame(() => {
      el.focus()
      el.setSelectionRange(caret, caret)
    })
  }
  return (
    <>
      <button
        ref={button}
        className="icon-btn"
        aria-label={t('messageMenu.emoji.insert')}
        title={t('messageMenu.emoji.insert')}
        aria-haspopup="dialog"
        aria-expanded={at !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect()
          setAt((open) => (open ? null : { x: r.left, y: r.top - 430 }))
        }}
      >
        <Icon name="smile" size={20} />
      </button>
      {at ? (
        <EmojiPickerPopover
          at={at}
          toggle={button}
          onClose={() => setAt(null)}
          onPick={({ emoji }) => {
            setAt(null)
            insert(emoji)
          }}
        />
      ) : null}
    </>
  )
}
