// Ctrl+1…9 shows the n-th account (Cmd+1…9 on macOS) in the desktop app. In
// a browser those keys switch the browser's own tabs before the page hears
// them, so the browser host takes Ctrl+Alt+1…9 instead.
import type { AppInfo } from '../../../shared/ipc'

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>
type Host = Pick<AppInfo, 'host' | 'platform'> | null

/** The account number a key press asks for (1-9), or null. */
export function accountKey(e: Keys, info: Host): number | null {
  // e.key, not e.code: AltGr (Ctrl+Alt on Windows) types characters on the digit keys, and those stay typing.
  if (!/^[1-9]$/.test(e.key) || e.shiftKey) return null
  const mac = info?.platform === 'darwin'
  const wanted = info?.host === 'electron' ? (mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey) && !e.altKey : e.ctrlKey && e.altKey && !e.metaKey
  return wanted ? Number(e.key) : null
}

/** The shortcut as the switcher's tooltip and the docs write it. */
export function accountShortcut(info: Host, n: number): string {
  if (info?.host === 'electron') return `${info.platform === 'darwin' ? 'Cmd' : 'Ctrl'}+${n}`
  return `Ctrl+Alt+${n}`
}
