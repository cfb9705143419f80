// Stand-ins for the few Electron objects our code builds or drives, so the
// Electron layer is tested in plain Node (the binary cannot run here).
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null
  loaded: string | null = null
  session = { addWordToSpellCheckerDictionary: (_w: string) => true }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void {
    this.windowOpenHandler = handler
  }
  replaceMisspelling(_word: string): void {}
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  visible = false
  destroyed = false
  maximized = false
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  loadURL(url: string): Promise<void> {
    this.webContents.loaded = url
    return Promise.resolve()
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  isVisible(): boolean {
    return this.visible
  }
  isMinimized(): boolean {
    return false
  }
  isFocused(): boolean {
    return this.visible
  }
  isMaximized(): boolean {
    return this.maximized
  }
  maximize(): void {
    this.maximized = true
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
  }
  focus(): void {}
  restore(): void {}
  getNormalBounds() {
    return { x: 10, y: 20, width: 900, height: 700 }
  }
  /** Emits 'close' as Electron does; says whether the window really closed. */
  tryClose(): boolean {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.destroyed = true
    return !prevented
  }
}

/** A navigation-style event whose preventDefault is recorded. */
export function fakeEvent(): { preventDefault: () => void; prevented: boolean } {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) }
  return e
}
