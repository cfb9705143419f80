// The schema's migrations, in order. Each is a .ts module exporting its SQL
// as a string, so both `tsx` (from source) and the esbuild bundle
// (out/server/cli.mjs) carry them: no file to find at run time. A new one is
// NNN_name.ts plus a line here; an applied one is never edited.
import { sql as meta } from './001_meta'
import { sql as messages } from './002_messages'
import { sql as appendBatch } from './003_append_batch'
import { sql as appendReads } from './004_append_reads'
import { sql as serverSecrets } from './005_server_secrets'
import { sql as uploadLeases } from './006_upload_leases'
import { sql as systemMessages } from './007_system_messages'
import { sql as mentions } from './008_mentions'
import { sql as threads } from './009_threads'
import { sql as pinsSaved } from './010_pins_saved'
import { sql as drafts } from './011_drafts'
import { sql as userGroups } from './012_user_groups'
import { sql as notificationPrefs } from './013_notification_prefs'
import { sql as scheduled } from './014_scheduled'
import { sql as linkPreviews } from './015_link_previews'
import { sql as webhooksBots } from './016_webhooks_bots'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'meta', sql: meta },
  { version: 2, name: 'messages', sql: messages },
  { version: 3, name: 'append_batch', sql: appendBatch },
  { version: 4, name: 'append_reads', sql: appendReads },
  { version: 5, name: 'server_secrets', sql: serverSecrets },
  { version: 6, name: 'upload_leases', sql: uploadLeases },
  { version: 7, name: 'system_messages', sql: systemMessages },
  { version: 8, name: 'mentions', sql: mentions },
  { version: 9, name: 'threads', sql: threads },
  { version: 10, name: 'pins_saved', sql: pinsSaved },
  { version: 11, name: 'drafts', sql: drafts },
  { version: 12, name: 'user_groups', sql: userGroups },
  { version: 13, name: 'notification_prefs', sql: notificationPrefs },
  { version: 14, name: 'scheduled', sql: scheduled },
  { version: 15, name: 'link_previews', sql: linkPreviews },
  { version: 16, name: 'webhooks_bots', sql: webhooksBots }
]
