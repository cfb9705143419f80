// The renderer's only door to the main process. Later issues add the typed
// methods of src/shared/ipc.ts; raw ipcRenderer is never exposed.
import { contextBridge } from 'electron'
import type { MessengerApi } from './api'

const api: MessengerApi = {
  platform: process.platform
}

contextBridge.exposeInMainWorld('messenger', api)
