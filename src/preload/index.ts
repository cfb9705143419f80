// The renderer's only door to the main process: named methods from the
// contract (src/shared/ipc.ts) and `on…` listeners that return their
// unsubscribe. Raw ipcRenderer is never exposed.
import { contextBridge, ipcRenderer } from 'electron'
import { createMessengerApi, IPC_EVENTS_CHANNEL, ipcChannel, type MessengerEvent } from '../shared/ipc'

const api = createMessengerApi(
  (method, request) => ipcRenderer.invoke(ipcChannel(method), request),
  (listener) => {
    ipcRenderer.on(IPC_EVENTS_CHANNEL, (_event, batch: MessengerEvent[]) => listener(batch))
  }
)

contextBridge.exposeInMainWorld('messenger', api)
