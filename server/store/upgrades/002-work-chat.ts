// Format 1 → 2 (issue 20): db.json may now hold user groups, pins, saved
// messages, drafts, threads and thread follows, and memberships their unread
// mentions. All read as empty when absent, so nothing needs rewriting: the
// step exists so that a format-1 server refuses a directory holding them
// instead of dropping them the next time it writes db.json.
import type { DataDirUpgrade } from './types'

export const workChat: DataDirUpgrade = {
  from: 1,
  name: 'room for user groups, pins, saved messages, drafts, threads and unread mentions',
  changes: ['db.json'],
  run: () => Promise.resolve()
}
