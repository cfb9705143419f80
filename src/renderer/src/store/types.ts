import type { StateCreator } from 'zustand'
import type { AppearanceSlice } from './appearance'
import type { BrowserNotificationsSlice } from './browser-notifications'
import type { AttentionSlice } from './attention'
import type { CallsSlice } from './calls'
import type { ConfirmSlice } from './confirm'
import type { AccountsSlice } from './accounts'
import type { ConnectionSlice } from './connection'
import type { ConversationsSlice } from './conversations'
import type { DraftsSlice } from './drafts'
import type { ExportsSlice } from './exports'
import type { FailuresSlice } from './failures'
import type { HostingSlice } from './hosting'
import type { InvitationsSlice } from './invitations'
import type { MessagesSlice } from './messages'
import type { PinsSlice } from './pins'
import type { ScheduledSlice } from './scheduled'
import type { MessageMenuSlice } from './message-menu'
import type { SessionSlice } from './session'
import type { ThreadsSlice } from './threads'
import type { TransfersSlice } from './transfers'
import type { UiSlice } from './ui'
import type { UserGroupsSlice } from './user-groups'

export type AppState = AccountsSlice & SessionSlice & AppearanceSlice & ConnectionSlice & ConversationsSlice & MessagesSlice & UiSlice & ConfirmSlice & HostingSlice & TransfersSlice & ExportsSlice & InvitationsSlice & FailuresSlice & CallsSlice & UserGroupsSlice & PinsSlice & DraftsSlice & ThreadsSlice & MessageMenuSlice & BrowserNotificationsSlice & ScheduledSlice & AttentionSlice

/** A slice sees the whole store (actions of one domain may read another's state). */
export type Slice<T> = StateCreator<AppState, [], [], T>
