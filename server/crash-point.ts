// The server's points for the crash hook (src/node/crash-point.ts).
import { crashPoints } from '../src/node/crash-point'

export type ServerCrashPoint =
  /** Retention recorded a conversation's new floor; nothing is deleted yet. */
  | 'retention-marked'
  /** Retention deleted the first whole segment below the floor. */
  | 'retention-segment-deleted'
  /** Retention rewrote the boundary segment; the change log is not rewritten yet. */
  | 'retention-boundary-rewritten'
  /** A new message is stored; it is neither acknowledged nor announced yet. */
  | 'message-stored'
  /** A scheduled message's message is stored; its record is not removed yet (issue 21). */
  | 'scheduled-stored'
  /** A backup copied every file; its manifest is not written yet. */
  | 'backup-copied'

export const crashPoint = crashPoints<ServerCrashPoint>()
