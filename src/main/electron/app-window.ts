// The one application window: hardened options, its size and position
// remembered, close-to-tray, the spelling context menu, and showing or
// focusing it from the tray, a notification or a second launch.
import { BrowserWindow, Menu, screen } from 'electron'
import type { Logger } from '../core/logger'
import { APP_INDEX_URL } from './app-protocol'
import { editContextMenuTemplate } from './menus'
import { mainWindowOptions } from './window-options'
import { restoreBounds, type WindowStateFile } from './window-state'

export interface AppWindowOptions {
  preload: string
  icon?: string
  devUrl: string | undefined
  stateFile: WindowStateFile
  /** Hide instead of closing (the app stays in the tray). */
  closeToTray: () => boolean
  /** The app is quitting: let the window close. */
  quitting: () => boolean
  log: Logger
}

export class AppWindow {
  private win: BrowserWindow | null = null
  private saving: Promise<void> = Promise.resolve()

  constructor(private readonly options: AppWindowOptions) {}

  get window(): BrowserWindow | null {
    return this.win && !this.win.isDestroyed() ? this.win : null
  }

  isFocused(): boolean {
    const win = this.window
    return !!win && win.isVisible() && !win.isMinimized() && win.isFocused()
  }

  /** Creates the window if there is none; shows it unless `hidden`. */
  async open(hidden = false): Promise<BrowserWindow> {
    const existing = this.window
    if (existing) {
      if (!hidden) this.show()
      return existing
    }
    const saved = await this.options.stateFile.load()
    const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea))
    const win = new BrowserWindow(mainWindowOptions(this.options.preload, bounds, this.options.icon))
    this.win = win
    if (saved?.maximized) win.maximize()
    if (!hidden) win.once('ready-to-show', () => win.show())
    win.on('close', (event) => {
      this.saveState(win)
      if (this.options.closeToTray() && !this.options.quitting()) {
        event.preventDefault()
        win.hide()
      }
    })
    win.webContents.on('context-menu', (_event, params) => {
      const template = editContextMenuTemplate(params, {
        replace: (word) => win.webContents.replaceMisspelling(word),
        learn: (word) => win.webContents.session.addWordToSpellCheckerDictionary(word)
      })
      if (template.length) Menu.buildFromTemplate(template).popup({ window: win })
    })
    await win.loadURL(this.options.devUrl ?? APP_INDEX_URL).catch((err: unknown) => this.options.log.error('the window did not load', { err: String(err) }))
    return win
  }

  show(): void {
    const win = this.window
    if (!win) {
      void this.open()
      return
    }
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  /** Resolves once every size and position save started so far is on disk (before quitting). */
  flush(): Promise<void> {
    return this.saving
  }

  private saveState(win: BrowserWindow): void {
    const b = win.getNormalBounds()
    const state = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() }
    // One save after another, so the last closed state is the one kept.
    this.saving = this.saving
      .then(() => this.options.stateFile.save(state))
      .catch((err: unknown) => this.options.log.warn('window position not saved', { err: String(err) }))
  }
}
