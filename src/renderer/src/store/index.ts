// One store made of slices (Zustand's recommended shape); components select
// the least they need through the selectors in ./selectors.
import { create } from 'zustand'
import { createAppearanceSlice } from './appearance'
import { createBrowserNotificationsSlice } from './browser-notifications'
import { createAttentionSlice } from './attention'
import { createCallsSlice } from './calls'
import { createConfirmSlice } from './confirm'
import { createAccountsSlice } from './accounts'
import { createConnectionSlice } from './connection'
import { createConversationsSlice } from './conversations'
import { createDraftsSlice } from './drafts'
import { createExportsSlice } from './exports'
import { createFailuresSlice } from './failures'
import { createHostingSlice } from './hosting'
import { createInvitationsSlice } from './invitations'
import { createMessagesSlice } from './messages'
import { createPinsSlice } from './pins'
import { createScheduledSlice } from './scheduled'
import { createMessageMenuSlice } from './message-menu'
import { createSessionSlice } from './session'
import { createThreadsSlice } from './threads'
import { createTransfersSlice } from './transfers'
import type { AppState } from './types'
import { createUiSlice } from './ui'
import { createUserGroupsSlice } from './user-groups'

export const useStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createAccountsSlice(...a),
  ...createAppearanceSlice(...a),
  ...createConnectionSlice(...a),
  ...createConversationsSlice(...a),
  ...createMessagesSlice(...a),
  ...createUiSlice(...a),
  ...createDraftsSlice(...a),
  ...createConfirmSlice(...a),
  ...createHostingSlice(...a),
  ...createTransfersSlice(...a),
  ...createExportsSlice(...a),
  ...createInvitationsSlice(...a),
  ...createFailuresSlice(...a),
  ...createCallsSlice(...a),
  ...createUserGroupsSlice(...a),
  ...createPinsSlice(...a),
  ...createScheduledSlice(...a),
  ...createThreadsSlice(...a),
  ...createMessageMenuSlice(...a),
  ...createBrowserNotificationsSlice(...a),
  ...createAttentionSlice(...a)
}))

export type { AppState }
