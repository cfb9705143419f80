// The composer's formatting: Ctrl/Cmd+B, +I, +E, +Shift+C (and +Shift+X for
// strike) wrap the selection in Markdown markers; the toolbar does the same
// and shows which kinds the selection already has.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { isFormatted, shortcutKind, toggleFormat, type FormatKind } from '../../lib/format-marks'

export interface Formatting {
  apply: (kind: FormatKind) => void
  /** Whether the selection is already of this kind (the toolbar's aria-pressed). */
  active: (kind: FormatKind) => boolean
  /** Handles a formatting shortcut; true when it did (the caller stops there). */
  onKeyDown: (e: React.KeyboardEvent<HTMLTextAreaElement>) => boolean
  /** Follows the selection (for active()). */
  onSelect: (e: React.SyntheticEvent<HTMLTextAreaElement>) => void
}

export function useFormattingShortcuts(box: RefObject<HTMLTextAreaElement | null>, text: string, setText: (value: string) => void): Formatting {
  const [selection, setSelection] = useState<[number, number]>([0, 0])
  const restore = useRef<[number, number] | null>(null)
  // The new selection is set once React has put the new text in the box.
  useLayoutEffect(() => {
    const range = restore.current
    if (!range || !box.current) return
    restore.current = null
    box.current.focus()
    box.current.setSelectionRange(range[0], range[1])
  })
  const apply = (kind: FormatKind): void => {
    const el = box.current
    if (!el) return
    const edit = toggleFormat(text, el.selectionStart, el.selectionEnd, kind)
    restore.current = [edit.start, edit.end]
    setSelection([edit.start, edit.end])
    setText(edit.value)
  }
  return {
    apply,
    active: (kind) => isFormatted(text, selection[0], selection[1], kind),
    onKeyDown: (e) => {
      const kind = shortcutKind(e)
      if (!kind) return false
      e.preventDefault()
      apply(kind)
      return true
    },
    onSelect: (e) => setSelection([e.currentTarget.selectionStart, e.currentTarget.selectionEnd])
  }
}
