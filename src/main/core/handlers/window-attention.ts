// Issue 21 (i21-notify): the window says whether its user looks at it. The
// browser host keeps that per page (web/host.ts) to tell only pages not looked
// at of new messages; Electron asks its BrowserWindow, so here it is accepted
// and nothing more.
import type { HandlersFor } from './index'

export function windowAttentionHandlers(): HandlersFor<'window'> {
  return { 'window.attention': () => Promise.resolve(null) }
}
