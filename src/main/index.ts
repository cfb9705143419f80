// Electron entry point. Everything here wires thin adapters together; the
// client core lives in ./core and never imports `electron`, and the rules
// (hardening, notifications, menus, policies) live in ./electron as plain
// functions with their own unit tests.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, desktopCapturer, dialog, ipcMain, Menu, nativeImage, nativeTheme, net, Notification, protocol, safeStorage, session, shell } from 'electron'
import { autoUpdater } from 'electron-updater'
import trayIconPath from '../../build/tray.png?asset'
import trayUnreadIconPath from '../../build/tray-unread.png?asset'
import overlayIconPath from '../../build/overlay.png?asset'
import appIconPath from '../../build/icon.png?asset'
import type { MessengerEvent, OpenTarget } from '../shared/ipc'
import { ClientCore } from './core/client'
import { installGlobalErrorHandlers } from './core/global-errors'
import { logsDirOf, openLogFile, type LogFile } from './core/log-files'
import { createLogger, jsonLines, textLines } from './core/logger'
import { safeSecretStorage } from './core/safe-secret-storage'
import { appFrameCheck } from './electron/app-frame'
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './electron/app-protocol'
import { AppWindow } from './electron/app-window'
import { CallRinger } from './electron/call-ringer'
import { showUnreadBadge } from './electron/badge'
import { openTargetFromArgv, openTargetOf, PROTOCOL } from './electron/deep-links'
import { DesktopPrefsFile, type DesktopPrefName } from './electron/desktop-prefs'
import { DesktopState } from './core/notify/desktop-state'
import { electronFileHost } from './electron/files'
import { utilityProcessLauncher } from './electron/hosting'
import { registerIpc } from './electron/ipc'
import { HIDDEN_ARG, setStartAtLogin } from './electron/login-item'
import { logsFolderOpener } from './electron/logs-folder'
import { appMenuTemplate } from './electron/menus'
import { unreadTotal } from './electron/notifications'
import { Notifier } from './electron/notifier'
import { restrictPermissions } from './electron/permissions'
import { ScreenPicker } from './electron/screen-picker'
import { AppTray } from './electron/tray'
import { hostingStatusSource } from './electron/tray-menu'
import { decideUpdatePolicy, policyFilePath, readPolicyText } from './electron/update-policy'
import { startUpdateChecks, type UpdateChecks } from './electron/updates'
import { guardWebContents } from './electron/web-contents-guard'
import { WindowStateFile } from './electron/window-state'

// A separate profile (tests, a second account on one computer): before anything reads userData.
const userDataOverride = process.env['MESSENGER_USER_DATA']
if (userDataOverride) app.setPath('userData', resolve(userDataOverride))

// stderr for a terminal, and <userData>/logs/main.log (rotated) once this is the one instance.
const logsDir = logsDirOf(app.getPath('userData'))
let mainLog: LogFile | null = null
const log = createLogger('main', [textLines(), jsonLines((line) => mainLog?.write(line))])
installGlobalErrorHandlers(log, (message) => dialog.showErrorBox('LAN Messenger', message))
const devUrl = (!app.isPackaged && process.env['ELECTRON_RENDERER_URL']) || undefined

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
app.enableSandbox()

// Every web contents, whoever creates it, is held to the same navigation rules.
app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, {
    openExternal: (url) => shell.openExternal(url),
    onBlocked: (what, url) => log.warn(`blocked ${what}`, { url })
  })
})

let core: ClientCore | null = null
let quitting = false
/** A join link that arrived before the window could take it. */
let pendingOpen: OpenTarget | null = null

/** A link in the first launch's arguments: read once the accounts are known (a message link picks its server's). */
let launchLink: string[] | null = process.argv

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our arguments (and invite link) in 'second-instance'.
  app.quit()
} else {
  // Only the instance that runs writes and rotates the file; a second one quits at once.
  mainLog = openLogFile(logsDir, 'main.log')
  registerProtocolClient()
  // macOS delivers messenger:// links as events, also before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    const target = openTargetOf(url, core?.sessionState().accounts ?? [])
    if (target) openInWindow(target)
  })
  void app.whenReady().then(start)
}

const prefs = new DesktopPrefsFile(app.getPath('userData'))
const state = new DesktopState()
const appWindow = new AppWindow({
  preload: join(__dirname, '../preload/index.js'),
  icon: appIconPath,
  devUrl,
  stateFile: new WindowStateFile(app.getPath('userData')),
  closeToTray: () => prefs.get().closeToTray,
  quitting: () => quitting,
  log: log.child('window')
})
let tray: AppTray | null = null
let updates: UpdateChecks | null = null
const overlayIcon = nativeImage.createFromPath(overlayIconPath)
/** Screen sharing: the window's picker lists and chooses here; the next getDisplayMedia gets the choice. */
const screenPicker = new ScreenPicker(desktopCapturer)

/** Shows the window and asks it to open a conversation or the join screen. */
function openInWindow(target: OpenTarget): void {
  if (!core || !appWindow.window) {
    pendingOpen = target
    return
  }
  appWindow.show()
  core.events.emit('open', target)
}

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData')
  registerAppProtocol(protocol, net, join(__dirname, '../renderer'))
  restrictPermissions(session.defaultSession, devUrl, {
    appContents: () => appWindow.window?.webContents ?? null,
    takeScreen: () => screenPicker.take()
  })
  await prefs.load()
  core = await ClientCore.create({
    userDataDir,
    secrets: await safeSecretStorage(safeStorage, userDataDir, process.platform, log.child('secrets')),
    host: 'electron',
    version: app.getVersion(),
    logger: log.child('core'),
    files: electronFileHost(() => appWindow.window),
    screens: screenPicker,
    // The window's theme choice drives the native parts (menus, title bar, dialogs) and its prefers-color-scheme.
    onAppearance: ({ theme }) => {
      nativeTheme.themeSource = theme
    },
    // The bundled server (out/server/cli.mjs) in a utilityProcess, so hosting never stalls the UI.
    hosting: { launcher: utilityProcessLauncher(join(__dirname, '../server/cli.mjs')) }
  })
  registerIpc(ipcMain, core, appFrameCheck(devUrl), () => BrowserWindow.getAllWindows())

  const started = core
  const notifier = new Notifier({
    Notification,
    state,
    prefs: () => prefs.get(),
    notificationPrefs: (accountId) => started.notificationPrefs(accountId),
    windowFocused: () => appWindow.isFocused(),
    onClick: (target) => openInWindow(target),
    icon: appIconPath
  })
  const ringer = new CallRinger({
    Notification,
    platform: process.platform,
    state,
    notificationPrefs: (accountId) => started.notificationPrefs(accountId),
    windowFocused: () => appWindow.isFocused(),
    accept: (accountId, callId) => void answerCall(started, accountId, callId),
    decline: (accountId, callId) => {
      started.declineCall(accountId, callId).catch((err: unknown) => log.warn('the call was not declined', { err: String(err) }))
    },
    icon: appIconPath
  })
  core.onCallRing((ring) => ringer.handle(ring))
  core.subscribe((batch) => {
    const changed = state.apply(batch)
    if (changed.signedIn) void loadDesktopState(started)
    if (changed.unreadChanged) showUnread()
    followDoNotDisturb(started, batch)
    notifier.handle(batch)
  })

  tray = new AppTray({ icon: nativeImage.createFromPath(trayIconPath), unreadIcon: nativeImage.createFromPath(trayUnreadIconPath), open: () => appWindow.show(), quit: () => app.quit() })
  if (core.hosting) tray.setHosting(hostingStatusSource(core.hosting, (listener) => started.subscribe(listener)))
  prefs.onChange(() => setMenu())
  setMenu()

  await core.start()
  if (launchLink) {
    pendingOpen = openTargetFromArgv(launchLink, core.sessionState().accounts) ?? pendingOpen
    launchLink = null
  }
  const hidden = process.argv.includes(HIDDEN_ARG) || prefs.get().startMinimized
  const win = await appWindow.open(hidden)
  win.webContents.once('did-finish-load', () => {
    const target = pendingOpen
    pendingOpen = null
    if (target) openInWindow(target)
  })
  updates = await startUpdates()
}

/** Accept on a ringing call's notification: the window (of that account) answers it, as it holds the media. */
async function answerCall(c: ClientCore, accountId: string, callId: string): Promise<void> {
  if (state.accountId !== accountId) {
    const switched = await c.dispatch('session.switchAccount', { accountId })
    if (!switched.ok) {
      log.warn('the account of a ringing call could not be shown', { code: switched.error.code })
      appWindow.show()
      return
    }
  }
  openInWindow({ answerCall: callId })
}

/** The muted conversations and the people met, which the start-up events do not carry. */
async function loadDesktopState(c: ClientCore): Promise<void> {
  const [list, muted, known, threads] = await Promise.all([
    c.dispatch('conversations.list', {}),
    c.dispatch('conversations.muted', {}),
    c.dispatch('users.known', {}),
    c.dispatch('threads.list', {})
  ])
  if (list.ok) state.setConversations(list.data as Parameters<DesktopState['setConversations']>[0])
  if (muted.ok) state.muted = new Set(muted.data as string[])
  if (known.ok) state.addPeople(known.data as Parameters<DesktopState['addPeople']>[0])
  if (threads.ok) state.setFollowedThreads(threads.data as Parameters<DesktopState['setFollowedThreads']>[0])
  showUnread()
}

function showUnread(): void {
  // Every signed-in account counts, the ones in the background too (as Slack's dock badge does).
  const unread = unreadTotal(state.conversations.values(), state.muted) + state.unreadElsewhere()
  tray?.setUnread(unread)
  showUnreadBadge(app, process.platform, appWindow.window, overlayIcon, unread)
}

/** Issue 21: the menu's Do Not Disturb check shows the shown account's do-not-disturb, wherever it was set. */
function followDoNotDisturb(client: ClientCore, batch: MessengerEvent[]): void {
  if (!batch.some((e) => e.type === 'notificationPrefs' || e.type === 'session')) return
  const on = client.isInDoNotDisturb()
  if (prefs.get().doNotDisturb !== on) void prefs.set('doNotDisturb', on)
}

function setMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        prefs: prefs.get(),
        setPref: (name, value) => void setPref(name, value),
        checkForUpdates: updates ? () => updates?.checkNow() : null,
        showLogs: logsFolderOpener(shell, logsDir, log)
      })
    )
  )
}

async function setPref(name: DesktopPrefName, value: boolean): Promise<void> {
  await prefs.set(name, value)
  // Issue 21: do-not-disturb is the account's, kept by the server for every device; the menu's check follows it.
  if (name === 'doNotDisturb') await core?.setDoNotDisturb(value).catch((err: unknown) => log.warn('do-not-disturb not changed', { err: String(err) }))
  if (name === 'startAtLogin') {
    await setStartAtLogin(app, value, { platform: process.platform, execPath: process.execPath, env: process.env, home: homedir() }).catch((err: unknown) =>
      log.warn('start at login not changed', { err: String(err) })
    )
  }
}

async function startUpdates(): Promise<UpdateChecks | null> {
  const policy = decideUpdatePolicy({
    env: process.env,
    isPackaged: app.isPackaged,
    hasFeed: existsSync(join(process.resourcesPath, 'app-update.yml')),
    policyText: await readPolicyText(policyFilePath(process.platform, process.env))
  })
  const checks = startUpdateChecks(autoUpdater, policy, log.child('updates'))
  if (checks) setMenu()
  return checks
}

/** messenger:// opens this app. Only an installed app claims the scheme, never a development or test run. */
function registerProtocolClient(): void {
  if (!app.isPackaged) return
  if (!app.setAsDefaultProtocolClient(PROTOCOL)) log.info('messenger:// links are not registered to this app')
}

app.on('second-instance', (_event, argv) => {
  const target = openTargetFromArgv(argv, core?.sessionState().accounts ?? [])
  if (target) openInWindow(target)
  else appWindow.show()
})

app.on('activate', () => {
  if (core) appWindow.show()
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin' && !prefs.get().closeToTray) app.quit()
})

// Flush the cache and close the connection before quitting, once.
let closing = false
app.on('before-quit', (event) => {
  quitting = true
  if (closing || !core) return
  event.preventDefault()
  closing = true
  updates?.stop()
  void Promise.all([core.close(), appWindow.flush()])
    .finally(() => mainLog?.close())
    .finally(() => {
      tray?.destroy()
      app.quit()
    })
})
