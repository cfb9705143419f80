// The window our code builds, with `electron` replaced by stand-ins.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { silentLogger } from '../../../src/main/core/logger'
import { WindowStateFile } from '../../../src/main/electron/window-state'
import { FakeBrowserWindow } from './fake-electron'

vi.mock('electron', () => ({
  BrowserWindow: FakeBrowserWindow,
  Menu: { buildFromTemplate: () => ({ popup: () => undefined }) },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
}))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-window-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('the window loads app://messenger, hardened; close-to-tray hides it and its bounds are saved', async () => {
  const { AppWindow } = await import('../../../src/main/electron/app-window')
  let toTray = true
  let quitting = false
  const stateFile = new WindowStateFile(dir)
  const appWindow = new AppWindow({ preload: '/p/index.js', devUrl: undefined, stateFile, closeToTray: () => toTray, quitting: () => quitting, log: silentLogger })
  await appWindow.open(true)
  const win = FakeBrowserWindow.created.at(-1)!
  expect(win.webContents.loaded).toBe('app://messenger/index.html')
  expect(win.options.webPreferences).toMatchObject({ preload: '/p/index.js', contextIsolation: true, sandbox: true, nodeIntegration: false })
  expect(win.visible).toBe(false) // opened hidden (start minimized)

  appWindow.show()
  expect(appWindow.isFocused()).toBe(true)
  expect(win.tryClose()).toBe(false)
  expect(win.visible).toBe(false)
  await vi.waitFor(async () => expect(await stateFile.load()).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: false }))

  quitting = true
  expect(win.tryClose()).toBe(true)
  toTray = false
  quitting = false
  await appWindow.open()
  const again = FakeBrowserWindow.created.at(-1)!
  expect(again).not.toBe(win)
  expect(again.options).toMatchObject({ x: 10, y: 20, width: 900, height: 700 })
  again.emit('ready-to-show')
  expect(again.visible).toBe(true)
  expect(again.tryClose()).toBe(true)
  // That close saved the bounds again; quitting waits for it.
  await appWindow.flush()
  expect(await stateFile.load()).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: false })
})
