// Electron entry point. Everything here is a thin adapter; the client core
// lives in ./core and never imports `electron`.
import { app, BrowserWindow } from 'electron'
import { createMainWindow } from './electron/window'

app.enableSandbox()

void app.whenReady().then(() => {
  createMainWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
