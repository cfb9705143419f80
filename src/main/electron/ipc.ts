// Registers every IPC method of the contract in one place. Each handler
// checks that the request comes from our own page in the app window's top
// frame (checklist item 17), then hands it to the core, which validates it
// and returns a Result.
import type { BrowserWindow, IpcMain, WebFrameMain } from 'electron'
import { fail } from '../../shared/errors'
import { IPC_EVENTS_CHANNEL, IPC_METHOD_NAMES, ipcChannel } from '../../shared/ipc'
import type { ClientCore } from '../core/client'

type Core = Pick<ClientCore, 'dispatch' | 'subscribe'>

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, core: Core, isAppFrame: (frame: WebFrameMain | null) => boolean, windows: () => BrowserWindow[]): void {
  for (const method of IPC_METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), (event, payload: unknown) => {
      if (!isAppFrame(event.senderFrame)) return fail('forbidden', 'IPC is only for the app window')
      return core.dispatch(method, payload)
    })
  }
  core.subscribe((batch) => {
    for (const win of windows()) if (!win.isDestroyed()) win.webContents.send(IPC_EVENTS_CHANNEL, batch)
  })
}
