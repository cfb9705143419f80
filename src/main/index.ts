// Electron entry point. Everything here is a thin adapter; the client core
// lives in ./core and never imports `electron`.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, safeStorage } from 'electron'
import { ClientCore } from './core/client'
import { installGlobalErrorHandlers } from './core/global-errors'
import { createLogger } from './core/logger'
import { safeSecretStorage } from './core/safe-secret-storage'
import { appFrameCheck } from './electron/app-frame'
import { registerIpc } from './electron/ipc'
import { createMainWindow } from './electron/window'

const log = createLogger('main')
installGlobalErrorHandlers(log, (message) => dialog.showErrorBox('LAN Messenger', message))
app.enableSandbox()

let core: ClientCore | null = null

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData')
  core = await ClientCore.create({
    userDataDir,
    secrets: await safeSecretStorage(safeStorage, userDataDir, process.platform, log.child('secrets')),
    host: 'electron',
    version: app.getVersion(),
    logger: log.child('core')
  })
  const rendererIndex = join(__dirname, '../renderer/index.html')
  registerIpc(core, appFrameCheck(process.env['ELECTRON_RENDERER_URL'], rendererIndex), () => BrowserWindow.getAllWindows())
  await core.start()
  createMainWindow()
}

void app.whenReady().then(start)

app.on('activate', () => {
  if (core && BrowserWindow.getAllWindows().length === 0) createMainWindow()
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// Flush the cache and close the connection before quitting, once.
let closing = false
app.on('before-quit', (event) => {
  if (closing || !core) return
  event.preventDefault()
  closing = true
  void core.close().finally(() => app.quit())
})
