// The app window's options, hardened as Electron's checklist asks (items
// 2-4, 6, 8-11): context isolation, sandbox, no Node, web security on,
// nothing experimental, no <webview>. Pure, so each item is unit-tested.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron'

export const WINDOW_DEFAULT_SIZE = { width: 1100, height: 720 }
export const WINDOW_MIN_SIZE = { width: 640, height: 420 }

export function mainWindowOptions(preload: string, bounds: Partial<Rectangle> = {}, icon?: string): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_DEFAULT_SIZE,
    ...bounds,
    minWidth: WINDOW_MIN_SIZE.width,
    minHeight: WINDOW_MIN_SIZE.height,
    show: false,
    title: 'LAN Messenger',
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // The composer's spelling is checked by the OS dictionaries (macOS, Windows) or hunspell (Linux).
      spellcheck: true
    }
  }
}
