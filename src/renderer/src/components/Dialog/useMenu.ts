// A small popup menu (the emoji picker): focus moves into it, arrows and Tab
// move inside it, Esc or a click elsewhere closes it alone, and focus goes
// back to the button that opened it. A menu is not modal, so no <dialog>.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'
import { cycleTab, focusedElement, returnFocus, tabbables } from './focus'

const NEXT = new Set(['ArrowRight', 'ArrowDown'])
const PREVIOUS = new Set(['ArrowLeft', 'ArrowUp'])

export function useMenu(ref: RefObject<HTMLElement | null>, onClose: () => void): void {
  const close = useRef(onClose)
  useEffect(() => {
    close.current = onClose
  })
  useLayoutEffect(() => {
    const menu = ref.current
    if (!menu) return
    const opener = focusedElement()
    tabbables(menu)[0]?.focus()
    const onKey = (e: KeyboardEvent): void => {
      const items = tabbables(menu)
      const at = items.indexOf(document.activeElement as HTMLElement)
      if (e.key === 'Escape') {
        // Handled here: the window's Esc (close the conversation) must not see it.
        e.preventDefault()
        e.stopPropagation()
        close.current()
      } else if (NEXT.has(e.key) || PREVIOUS.has(e.key)) {
        e.preventDefault()
        items[(at + (NEXT.has(e.key) ? 1 : -1) + items.length) % items.length]?.focus()
      } else if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault()
        items[e.key === 'Home' ? 0 : items.length - 1]?.focus()
      } else cycleTab(menu, e)
    }
    // The opener toggles the menu itself; any other press outside closes it.
    const onOutside = (e: MouseEvent): void => {
      const target = e.target as Node
      if (!menu.contains(target) && !opener?.contains(target)) close.current()
    }
    menu.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onOutside)
    return () => {
      menu.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onOutside)
      returnFocus(opener)
    }
  }, [ref])
}
