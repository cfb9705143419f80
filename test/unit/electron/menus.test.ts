import { join } from 'node:path'
import { expect, test, vi } from 'vitest'
import { logsDirOf } from '../../../src/main/core/log-files'
import { createLogger, textLines } from '../../../src/main/core/logger'
import { DesktopPrefs } from '../../../src/main/electron/desktop-prefs'
import { logsFolderOpener } from '../../../src/main/electron/logs-folder'
import { appMenuTemplate, editContextMenuTemplate } from '../../../src/main/electron/menus'
import { badgeText, trayMenuTemplate, trayTooltip } from '../../../src/main/electron/tray-menu'

const roles = (items: { role?: string; submenu?: unknown }[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu as never) : [])])

test('the application menu has the usual roles (and so their shortcuts), and the preferences as check boxes', () => {
  const set: [string, boolean][] = []
  const prefs = { ...DesktopPrefs.parse({}), closeToTray: true }
  const win = appMenuTemplate({ platform: 'win32', isPackaged: true, prefs, setPref: (n, v) => set.push([n, v]), checkForUpdates: null, showLogs: () => undefined })
  expect(roles(win)).toEqual(expect.arrayContaining(['quit', 'editMenu', 'windowMenu', 'zoomIn', 'togglefullscreen', 'about']))
  expect(roles(win)).not.toContain('toggleDevTools')
  const settings = (win[0]!.submenu as any[])[0].submenu as any[]
  expect(settings.map((i) => [i.label, i.checked])).toEqual([
    ['Do Not Disturb', false],
    ['Hide Message Previews', false],
    ['Keep Running in the Tray When Closed', true],
    ['Start Minimized to the Tray', false],
    ['Start at Login', false]
  ])
  settings[0].click({ checked: true })
  expect(set).toEqual([['doNotDisturb', true]])

  const mac = appMenuTemplate({ platform: 'darwin', isPackaged: false, prefs, setPref: () => undefined, checkForUpdates: () => undefined, showLogs: () => undefined })
  expect(mac[0]!.role).toBe('appMenu')
  expect(roles(mac)).toEqual(expect.arrayContaining(['hide', 'quit', 'toggleDevTools']))
  expect(JSON.stringify(mac)).toContain('Check for Updates')
})

test('Help > Show Logs opens the logs folder in <userData>/logs with the shell, and says when it could not', async () => {
  const userData = join('/home', 'ann', '.config', 'LAN Messenger')
  const openPath = vi.fn((_path: string) => Promise.resolve(''))
  const warnings: string[] = []
  const showLogs = logsFolderOpener({ openPath }, logsDirOf(userData), createLogger('main', textLines((l) => warnings.push(l))))
  for (const platform of ['win32', 'darwin', 'linux'] as const) {
    const menu = appMenuTemplate({ platform, isPackaged: true, prefs: DesktopPrefs.parse({}), setPref: () => undefined, checkForUpdates: null, showLogs })
    const help = menu.find((m) => m.role === 'help')!.submenu as { label?: string; click?: () => void }[]
    expect(help[0]!.label).toBe('Show Logs')
    help[0]!.click!()
  }
  expect(openPath.mock.calls).toEqual(Array(3).fill([join(userData, 'logs')]))
  expect(warnings).toEqual([])

  openPath.mockResolvedValueOnce('Failed to open path')
  showLogs()
  await vi.waitFor(() => expect(warnings.join('\n')).toContain('could not open the logs folder'))
})

test('spelling suggestions come first in the composer context menu', () => {
  const replaced: string[] = []
  const learned: string[] = []
  const items = editContextMenuTemplate(
    { isEditable: true, misspelledWord: 'helo', dictionarySuggestions: ['hello', 'help'], selectionText: '' },
    { replace: (w) => replaced.push(w), learn: (w) => learned.push(w) }
  )
  expect(items.slice(0, 3).map((i) => i.label)).toEqual(['hello', 'help', 'Add to Dictionary'])
  ;(items[0]!.click as () => void)()
  ;(items[2]!.click as () => void)()
  expect([replaced, learned]).toEqual([['hello'], ['helo']])
  expect(items.map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
  expect(editContextMenuTemplate({ isEditable: false, misspelledWord: '', dictionarySuggestions: [], selectionText: 'x' }, { replace: () => 0, learn: () => 0 }).map((i) => i.role)).toEqual(['copy'])
  expect(editContextMenuTemplate({ isEditable: false, misspelledWord: '', dictionarySuggestions: [], selectionText: '' }, { replace: () => 0, learn: () => 0 })).toEqual([])
})

test('the tray menu: open with the unread count, hosting status only when something hosts, quit', () => {
  const open = () => undefined
  const quit = () => undefined
  expect(trayMenuTemplate({ unread: 0, hosting: null, open, quit }).map((i) => i.label ?? i.type)).toEqual(['Open LAN Messenger', 'separator', 'Quit LAN Messenger'])
  const hosting = trayMenuTemplate({ unread: 3, hosting: 'starting', open, quit })
  expect(hosting.map((i) => i.label ?? i.type)).toEqual(['Open LAN Messenger (3 unread)', 'separator', 'Hosting: starting…', 'separator', 'Quit LAN Messenger'])
  expect(hosting[2]!.enabled).toBe(false)
  expect(trayTooltip(0)).toBe('LAN Messenger')
  expect(trayTooltip(1)).toBe('LAN Messenger: 1 unread message')
  expect([badgeText(0), badgeText(7), badgeText(120)]).toEqual(['', '7', '99+'])
})
