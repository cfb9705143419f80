// The client core's points for the crash hook (src/node/crash-point.ts).
import { crashPoints } from '../../node/crash-point'

export type CrashPoint =
  /** The message is in the outbox on disk; it was not sent. */
  | 'outbox-written'
  /** The server acknowledged it; the cache has not got it. */
  | 'acked-not-cached'
  /** It is in the cache; the outbox still holds it. */
  | 'cached-not-removed'

export const crashPoint = crashPoints<CrashPoint>()
