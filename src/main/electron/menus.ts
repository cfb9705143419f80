// Native menus: the application menu with the usual shortcuts and this
// computer's preferences as check boxes, and the text field context menu
// with spelling suggestions. Templates only; index.ts builds the Menus.
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron'
import type { DesktopPrefName, DesktopPrefs } from './desktop-prefs'

export interface AppMenuInput {
  platform: NodeJS.Platform
  /** Developer tools and reload only in development builds. */
  isPackaged: boolean
  prefs: DesktopPrefs
  setPref: (name: DesktopPrefName, value: boolean) => void
  checkForUpdates: (() => void) | null
  /** Opens the folder of the app's log files (Help > Show Logs). */
  showLogs: () => void
}

const PREF_LABELS: [DesktopPrefName, string][] = [
  ['doNotDisturb', 'Do Not Disturb'],
  ['hidePreviews', 'Hide Message Previews'],
  ['closeToTray', 'Keep Running in the Tray When Closed'],
  ['startMinimized', 'Start Minimized to the Tray'],
  ['startAtLogin', 'Start at Login']
]

export function appMenuTemplate(input: AppMenuInput): MenuItemConstructorOptions[] {
  const mac = input.platform === 'darwin'
  const prefs: MenuItemConstructorOptions[] = PREF_LABELS.map(([name, label]) => ({
    label,
    type: 'checkbox',
    checked: input.prefs[name],
    click: (item) => input.setPref(name, item.checked)
  }))
  const updates: MenuItemConstructorOptions[] = input.checkForUpdates ? [{ label: 'Check for Updates…', click: input.checkForUpdates }] : []
  const view: MenuItemConstructorOptions[] = [
    ...(input.isPackaged ? [] : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' }
  ]
  return [
    ...(mac
      ? [{ role: 'appMenu' as const, submenu: [{ role: 'about' as const }, ...updates, { type: 'separator' as const }, { label: 'Settings', submenu: prefs }, { type: 'separator' as const }, { role: 'hide' as const }, { role: 'hideOthers' as const }, { role: 'unhide' as const }, { type: 'separator' as const }, { role: 'quit' as const }] }]
      : [{ label: '&File', submenu: [{ label: 'Settings', submenu: prefs }, ...updates, { type: 'separator' as const }, { role: 'quit' as const }] }]),
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Show Logs', click: input.showLogs }, { type: 'separator' }, { role: 'about' }] }
  ]
}

/** The right-click menu of an editable field: spelling suggestions first, then the edit commands. */
export function editContextMenuTemplate(
  params: Pick<ContextMenuParams, 'isEditable' | 'misspelledWord' | 'dictionarySuggestions' | 'selectionText'>,
  actions: { replace: (word: string) => void; learn: (word: string) => void }
): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = []
  if (params.isEditable && params.misspelledWord) {
    for (const word of params.dictionarySuggestions.slice(0, 5)) items.push({ label: word, click: () => actions.replace(word) })
    if (params.dictionarySuggestions.length === 0) items.push({ label: 'No Suggestions', enabled: false })
    items.push({ label: 'Add to Dictionary', click: () => actions.learn(params.misspelledWord) }, { type: 'separator' })
  }
  if (params.isEditable) items.push({ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' })
  else if (params.selectionText) items.push({ role: 'copy' })
  return items
}
