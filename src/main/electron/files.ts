// Files in Electron: the dialogs and the shell the client core borrows
// (ClientCoreOptions.files). Pass `electronFileHost(() => mainWindow)` when
// creating the core; nothing else is needed.
import { app, dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron'
import { join } from 'node:path'
import type { FileHost } from '../core/transfers/file-host'

export function electronFileHost(window: () => BrowserWindow | null): FileHost {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const parent = window()
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    return result.canceled ? [] : result.filePaths
  }
  return {
    pickFiles: () => open({ title: 'Send files', properties: ['openFile', 'multiSelections'] }),
    pagePaths: true,
    chooseDirectory: async () => (await open({ title: 'Save downloads in', defaultPath: app.getPath('downloads'), properties: ['openDirectory', 'createDirectory'] }))[0] ?? null,
    openPath: async (path) => {
      const problem = await shell.openPath(path)
      if (problem) throw new Error(problem)
    },
    showInFolder: (path) => shell.showItemInFolder(path),
    saveFile: async (suggestedName) => {
      const parent = window()
      const options = {
        title: 'Export history',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: suggestedName.endsWith('.html') ? [{ name: 'Web page', extensions: ['html'] }] : [{ name: 'Zip archive', extensions: ['zip'] }]
      }
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
    pickExport: async () => (await open({ title: 'Open export', filters: [{ name: 'Messenger export', extensions: ['zip'] }], properties: ['openFile'] }))[0] ?? null
  }
}
