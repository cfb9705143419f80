// Every IPC method's handler, registered in one table. The type makes a
// missing or misspelled method a compile error.
import type { IpcMethod, IpcParsed, IpcResponse } from '../../../shared/ipc'
import type { ClientCore } from '../client'
import { adminHandlers } from './admin'
import { callHandlers } from './calls'
import { conversationHandlers } from './conversations'
import { draftHandlers } from './drafts'
import { exportHandlers } from './exports'
import { hostingHandlers } from './hosting'
import { fileHandlers } from './files'
import { inviteHandlers } from './invites'
import { messageHandlers } from './messages'
import { linkPreviewHandlers } from './link-previews'
import { notificationHandlers } from './notifications'
import { windowAttentionHandlers } from './window-attention'
import { pinHandlers } from './pins'
import { messageMenuHandlers } from './message-menu'
import { sessionHandlers } from './session'
import { socialHandlers } from './social'
import { userGroupHandlers } from './user-groups'
import { threadHandlers } from './threads'
import { scheduledHandlers } from './scheduled'
import { hookHandlers } from './hooks'

export type Handler<M extends IpcMethod> = (request: IpcParsed<M>) => Promise<IpcResponse<M>>
export type Handlers = { [M in IpcMethod]: Handler<M> }
export type HandlersFor<D extends string> = { [M in IpcMethod as M extends `${D}.${string}` ? M : never]: Handler<M> }

export function createHandlers(core: ClientCore): Handlers {
  return {
    ...sessionHandlers(core),
    ...conversationHandlers(core),
    ...messageHandlers(core),
    ...messageMenuHandlers(core),
    ...socialHandlers(core),
    ...adminHandlers(core),
    ...hostingHandlers(core),
    ...fileHandlers(core),
    ...exportHandlers(core),
    ...callHandlers(core),
    ...userGroupHandlers(core),
    ...pinHandlers(core),
    ...draftHandlers(core),
    ...inviteHandlers(core),
    ...notificationHandlers(core),
    ...threadHandlers(core),
    ...linkPreviewHandlers(core),
    ...windowAttentionHandlers(),
    ...scheduledHandlers(core),
    ...hookHandlers(core)
  }
}
