// The renderer's only door to the main process: named methods from the
// contract (src/shared/ipc.ts) and `on…` listeners that return their
// unsubscribe. Raw ipcRenderer is never exposed.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createMessengerApi, IPC_EVENTS_CHANNEL, ipcChannel, type MessengerApi, type MessengerEvent } from '../shared/ipc'

const api = createMessengerApi(
  (method, request) => ipcRenderer.invoke(ipcChannel(method), request),
  (listener) => {
    ipcRenderer.on(IPC_EVENTS_CHANNEL, (_event, batch: MessengerEvent[]) => listener(batch))
  }
)

// File.path is gone from Electron; a dropped or pasted file's path comes from webUtils, here.
const pathForFile: MessengerApi['pathForFile'] = (file) => webUtils.getPathForFile(file as File)

contextBridge.exposeInMainWorld('messenger', { ...api, pathForFile } satisfies MessengerApi)
