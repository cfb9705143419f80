import type { AccountSummary } from '../../shared/ipc'
import type { AccountCache } from './cache/account-cache'
import type { Outbox } from './cache/outbox'
import type { EventBatcher } from './event-batcher'
import type { Logger } from './logger'
import type { Realtime } from './realtime'
import type { Session } from './session'

/** The parts of one signed-in account that sync, the outbox sender and the actions share. */
export interface AccountContext {
  account: AccountSummary
  session: Session
  realtime: Realtime
  cache: AccountCache
  outbox: Outbox
  events: EventBatcher
  log: Logger
}
