// A native modal <dialog>: showModal() puts it in the top layer and makes the
// rest of the window inert (no click or focus gets behind it), and Esc fires
// 'cancel' on the topmost dialog only, so a dialog over a dialog closes alone.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'
import { cycleTab, focusedElement, returnFocus } from './focus'

/**
 * Opens ref's <dialog> as a modal while mounted; Esc calls onClose (the owner
 * unmounts it); focus starts on initialFocus() (else the first control) and
 * returns to the opener afterwards.
 */
export function useModal(ref: RefObject<HTMLDialogElement | null>, onClose: () => void, initialFocus?: () => HTMLElement | null | undefined): void {
  const close = useRef(onClose)
  const first = useRef(initialFocus)
  useEffect(() => {
    close.current = onClose
    first.current = initialFocus
  })
  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = focusedElement()
    dialog.showModal()
    ;(first.current?.() ?? dialog.querySelector<HTMLElement>('input, textarea, select, button'))?.focus()
    const onCancel = (e: Event): void => {
      // The owner decides: the dialog stays until it is unmounted.
      e.preventDefault()
      close.current()
    }
    // Chromium may refuse to cancel a 'cancel' without a new user gesture: then it closes by itself.
    const onClosed = (): void => close.current()
    const onKey = (e: KeyboardEvent): void => cycleTab(dialog, e)
    dialog.addEventListener('cancel', onCancel)
    dialog.addEventListener('close', onClosed)
    dialog.addEventListener('keydown', onKey)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      dialog.removeEventListener('close', onClosed)
      dialog.removeEventListener('keydown', onKey)
      if (dialog.open) dialog.close()
      returnFocus(opener)
    }
  }, [ref])
}

/** A click on the backdrop: on the <dialog> itself, outside its box. */
export function isBackdropClick(e: React.MouseEvent<HTMLDialogElement>): boolean {
  if (e.target !== e.currentTarget) return false
  const r = e.currentTarget.getBoundingClientRect()
  return e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom
}
