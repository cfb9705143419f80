// The renderer's only door to the main process: named methods from the
// contract (src/shared/ipc.ts) and `on…` listeners that return their
// unsubscribe. Raw ipcRenderer is never exposed.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { fail, type Result } from '../shared/errors'
import { createMessengerApi, IPC_EVENTS_CHANNEL, ipcChannel, type MessengerApi, type MessengerEvent, type StagedFile } from '../shared/ipc'

const api = createMessengerApi(
  (method, request) => ipcRenderer.invoke(ipcChannel(method), request),
  (listener) => {
    ipcRenderer.on(IPC_EVENTS_CHANNEL, (_event, batch: MessengerEvent[]) => listener(batch))
  }
)

// File.path is gone from Electron; a dropped or pasted file's path comes from webUtils, here.
const pathForFile: MessengerApi['pathForFile'] = (file) => webUtils.getPathForFile(file as File)

// Paths are found here, from File objects the user dropped, and never taken
// from the page: a page that went wrong (a script injected through a message)
// could otherwise name ~/.ssh/id_ed25519 and upload it.
const stageDropped: MessengerApi['stageDropped'] = async (files) => {
  const paths = files.map((file) => webUtils.getPathForFile(file as File))
  if (paths.length === 0 || paths.some((p) => !p)) return fail('validation_failed', 'only files dropped from this computer can be staged by path; paste or attach the others')
  return (await ipcRenderer.invoke(ipcChannel('files.stagePaths'), { paths })) as Result<StagedFile[]>
}
const refusePaths: MessengerApi['files']['stagePaths'] = () =>
  Promise.resolve(fail('forbidden', 'the page cannot name files on disk; drop them on the window or use the attach button'))

contextBridge.exposeInMainWorld('messenger', { ...api, files: { ...api.files, stagePaths: refusePaths }, pathForFile, stageDropped } satisfies MessengerApi)
