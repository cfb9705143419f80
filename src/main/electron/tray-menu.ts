// The tray icon's menu and tooltip. Hosting status comes from whoever hosts
// the embedded server (see HostingStatusSource); without one the item is hidden.
import type { MenuItemConstructorOptions } from 'electron'

export type HostingStatus = 'off' | 'starting' | 'on'

/** What the tray needs from the embedded-server host: its status and a change signal. */
export interface HostingStatusSource {
  status(): HostingStatus
  /** Calls back on every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void
}

export interface TrayMenuInput {
  unread: number
  hosting: HostingStatus | null
  open: () => void
  quit: () => void
}

const HOSTING_WORDS: Record<HostingStatus, string> = {
  off: 'Hosting: off',
  starting: 'Hosting: starting…',
  on: 'Hosting: on'
}

export function trayMenuTemplate(input: TrayMenuInput): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [
    { label: input.unread > 0 ? `Open LAN Messenger (${input.unread} unread)` : 'Open LAN Messenger', click: input.open },
    { type: 'separator' }
  ]
  if (input.hosting) items.push({ label: HOSTING_WORDS[input.hosting], enabled: false }, { type: 'separator' })
  items.push({ label: 'Quit LAN Messenger', click: input.quit })
  return items
}

export function trayTooltip(unread: number): string {
  if (unread === 0) return 'LAN Messenger'
  return `LAN Messenger: ${unread} unread message${unread === 1 ? '' : 's'}`
}

/** The dock/taskbar badge text: exact up to 99. */
export function badgeText(unread: number): string {
  return unread === 0 ? '' : unread > 99 ? '99+' : String(unread)
}

/** The tray's view of the hosting controller: running is on, starting or stopping is starting, anything else off. */
export function hostingStatusSource(
  controller: { status(): { state: string } },
  subscribe: (listener: (batch: ReadonlyArray<{ type: string }>) => void) => () => void
): HostingStatusSource {
  return {
    status: () => {
      const { state } = controller.status()
      return state === 'running' ? 'on' : state === 'starting' || state === 'stopping' ? 'starting' : 'off'
    },
    onChange: (listener) =>
      subscribe((batch) => {
        if (batch.some((event) => event.type === 'hosting')) listener()
      })
  }
}
