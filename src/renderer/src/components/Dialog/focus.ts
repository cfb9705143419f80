// Keyboard focus inside a dialog or menu: what Tab can reach, cycling at the
// ends, and going back to the opener afterwards.

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.getClientRects().length > 0)
}

/**
 * Tab and Shift+Tab cycle inside root. A modal <dialog> makes the rest inert,
 * but Tab past its last control still leaves for the browser's own UI (or
 * the address bar in a browser), so the ends wrap here.
 */
export function cycleTab(root: HTMLElement, e: KeyboardEvent): void {
  if (e.key !== 'Tab') return
  const all = tabbables(root)
  if (all.length === 0) return
  const first = all[0]!
  const last = all[all.length - 1]!
  const active = document.activeElement
  const inside = active instanceof HTMLElement && active !== root && root.contains(active)
  if (!inside || (e.shiftKey ? active === first : active === last)) {
    e.preventDefault()
    ;(e.shiftKey ? last : first).focus()
  }
}

/** What had focus now, to give it back with returnFocus. */
export function focusedElement(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null
}

/**
 * Focus goes back to the opener once the dialog or menu has gone, unless
 * something else took it meanwhile (a conversation opened from the dialog).
 */
export function returnFocus(opener: HTMLElement | null): void {
  setTimeout(() => {
    const active = document.activeElement
    if (opener?.isConnected && (!active || active === document.body)) opener.focus()
  }, 0)
}
