// The files the desktop layer keeps in userData: preferences, window position, the Linux autostart entry.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { DesktopPrefsFile } from '../../../src/main/electron/desktop-prefs'
import { linuxAutostartEntry, linuxAutostartPath, setStartAtLogin } from '../../../src/main/electron/login-item'
import { restoreBounds, WindowStateFile } from '../../../src/main/electron/window-state'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'desktop-files-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('preferences: defaults, kept across launches, damaged file gives defaults', async () => {
  const prefs = new DesktopPrefsFile(dir)
  expect(await prefs.load()).toEqual({ doNotDisturb: false, hidePreviews: false, closeToTray: false, startMinimized: false, startAtLogin: false })
  const seen: boolean[] = []
  prefs.onChange((p) => seen.push(p.hidePreviews))
  await prefs.set('hidePreviews', true)
  expect(seen).toEqual([true])
  expect((await new DesktopPrefsFile(dir).load()).hidePreviews).toBe(true)
  await writeFile(join(dir, 'desktop-prefs.json'), '{not json')
  expect((await new DesktopPrefsFile(dir).load()).hidePreviews).toBe(false)
})

test('window position: remembered, and dropped when no display shows it any more', async () => {
  const file = new WindowStateFile(dir)
  expect(await file.load()).toBeNull()
  await file.save({ x: 100, y: 80, width: 1000, height: 700, maximized: false })
  const saved = await new WindowStateFile(dir).load()
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]
  expect(restoreBounds(saved, screen)).toEqual({ x: 100, y: 80, width: 1000, height: 700 })
  // The second monitor it was on is gone: same size, centred by the OS.
  expect(restoreBounds({ ...saved!, x: 2500 }, screen)).toEqual({ width: 1000, height: 700 })
  expect(restoreBounds({ ...saved!, y: -500 }, screen)).toEqual({ width: 1000, height: 700 })
  expect(restoreBounds(saved, [...screen, { x: 1920, y: 0, width: 1280, height: 1024 }])).toMatchObject({ x: 100 })
  expect(restoreBounds(null, screen)).toEqual({})
  await writeFile(join(dir, 'window-state.json'), JSON.stringify({ x: 0, y: 0, width: 10, height: 10, maximized: false }))
  expect(await new WindowStateFile(dir).load()).toBeNull()
})

test('start at login: the OS login item on macOS and Windows, an XDG autostart file on Linux', async () => {
  const items: unknown[] = []
  const app = { setLoginItemSettings: (s: unknown) => void items.push(s) }
  await setStartAtLogin(app, true, { platform: 'win32', execPath: 'C:\\app.exe', env: {}, home: dir })
  expect(items).toEqual([{ openAtLogin: true, args: ['--hidden'] }])

  const env = { XDG_CONFIG_HOME: join(dir, 'config') }
  await setStartAtLogin(app, true, { platform: 'linux', execPath: '/opt/LAN Messenger/lan-messenger', env, home: dir })
  const path = linuxAutostartPath(env, dir)
  expect(path).toBe(join(dir, 'config', 'autostart', 'lan-messenger.desktop'))
  expect(await readFile(path, 'utf8')).toContain('Exec="/opt/LAN Messenger/lan-messenger" --hidden')
  await setStartAtLogin(app, false, { platform: 'linux', execPath: '/x', env, home: dir })
  await expect(readFile(path)).rejects.toThrow()
  expect(items).toHaveLength(1)
  expect(linuxAutostartEntry('/tmp/.mount/app', '/home/u/LAN "Messenger".AppImage')).toContain('Exec="/home/u/LAN \\"Messenger\\".AppImage" --hidden')
})
