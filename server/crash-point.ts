// A test hook, as in the client core (src/main/core/crash-point.ts): with
// MESSENGER_CRASH_AT=<point> the server kills itself at that point, as a
// power cut would, so the reliability suite can prove a restart recovers.
// Off unless the variable is set.

export type ServerCrashPoint =
  /** Retention recorded a conversation's new floor; nothing is deleted yet. */
  | 'retention-marked'
  /** Retention deleted the first whole segment below the floor. */
  | 'retention-segment-deleted'
  /** Retention rewrote the boundary segment; the change log is not rewritten yet. */
  | 'retention-boundary-rewritten'

const CRASH_AT = process.env['MESSENGER_CRASH_AT']

export function crashPoint(point: ServerCrashPoint): void {
  if (CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}
