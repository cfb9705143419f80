// Format 2 → 3 (issue 21): db.json may now hold notification preferences,
// scheduled messages, webhooks, bots and their tokens; users a custom status
// emoji and expiry and the bot mark; messages a link preview (or the mark
// that its sender removed it); the settings linkPreviews. All read as empty
// or absent when missing, so nothing needs rewriting: the step exists so that
// a format-2 server refuses a directory holding them instead of dropping them
// (scheduled messages above all) the next time it writes db.json.
import type { DataDirUpgrade } from './types'

export const attention: DataDirUpgrade = {
  from: 2,
  name: 'room for notification preferences, scheduled messages, link previews, webhooks and bots',
  changes: ['db.json'],
  run: () => Promise.resolve()
}
