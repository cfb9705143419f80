// The tray icon: unread count in its tooltip and menu, hosting status when
// something hosts the embedded server, open and quit.
import { Menu, Tray, type NativeImage } from 'electron'
import { trayMenuTemplate, trayTooltip, type HostingStatusSource } from './tray-menu'

export interface AppTrayOptions {
  icon: NativeImage
  /** The icon while messages are unread. */
  unreadIcon: NativeImage
  open: () => void
  quit: () => void
  hosting?: HostingStatusSource | null
}

export class AppTray {
  private readonly tray: Tray
  private unread = 0
  private hosting: HostingStatusSource | null = null
  private unsubscribe: (() => void) | null = null

  constructor(private readonly options: AppTrayOptions) {
    this.tray = new Tray(options.icon)
    this.tray.on('click', options.open)
    this.setHosting(options.hosting ?? null)
  }

  /** Shows the embedded server's status (issue 7's host provides it); null hides the item. */
  setHosting(source: HostingStatusSource | null): void {
    this.unsubscribe?.()
    this.hosting = source
    this.unsubscribe = source?.onChange(() => this.render()) ?? null
    this.render()
  }

  setUnread(unread: number): void {
    if (unread === this.unread) return
    if ((unread > 0) !== (this.unread > 0)) this.tray.setImage(unread > 0 ? this.options.unreadIcon : this.options.icon)
    this.unread = unread
    this.render()
  }

  destroy(): void {
    this.unsubscribe?.()
    this.tray.destroy()
  }

  private render(): void {
    const hosting = this.hosting?.status() ?? null
    this.tray.setToolTip(trayTooltip(this.unread))
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate({ unread: this.unread, hosting, open: this.options.open, quit: this.options.quit })))
  }
}
