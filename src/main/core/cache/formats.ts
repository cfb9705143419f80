// Format versions of an account's data on this computer. The cache
// (cache/meta.json `schema`) is a copy of what the server holds: one of an
// older format is dropped and fetched again, which is simpler and safer than
// converting it, as the server stays the truth. The outbox (outbox.json
// `format`) holds messages that exist nowhere else yet: it is upgraded step by
// step after a copy, never dropped. Either one written by a newer app is
// refused unchanged: the account does not open here (data_too_new).
import type { UpgradeStep } from '../../../node/format-version'
import { ClientError } from '../errors'

/** The cache format this app writes. Raising it drops every older cache once. */
export const CACHE_FORMAT = 1

/** The outbox format this app writes. Raise it only with a step in OUTBOX_UPGRADES. */
export const OUTBOX_FORMAT = 1

/** Step N turns outbox.json's contents of format N into N + 1, in place. */
export type OutboxUpgrade = UpgradeStep<{ data: Record<string, unknown> }>

export interface OutboxFormatPlan {
  current: number
  steps: readonly OutboxUpgrade[]
}

/** Format 1 is the first: nothing to upgrade yet. */
export const OUTBOX_UPGRADES: readonly OutboxUpgrade[] = []

export function dataTooNew(what: 'cache' | 'outbox', path: string, found: number, current: number): ClientError {
  return new ClientError(
    'data_too_new',
    `this account's ${what} (${path}) was written by a newer LAN Messenger (format ${found}); this app reads format ${current} and older: update the app`
  )
}
