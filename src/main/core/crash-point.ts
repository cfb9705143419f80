// A test hook: with MESSENGER_CRASH_AT=<point> the process kills itself at
// that point, as a power cut would (SIGKILL: nothing is flushed), so the
// reliability suite can prove a restart recovers. Off unless the variable is set.

export type CrashPoint =
  /** The message is in the outbox on disk; it was not sent. */
  | 'outbox-written'
  /** The server acknowledged it; the cache has not got it. */
  | 'acked-not-cached'
  /** It is in the cache; the outbox still holds it. */
  | 'cached-not-removed'

// Read once: the send path asks three times a message, and the variable is
// only ever set when the process is spawned.
const CRASH_AT = process.env['MESSENGER_CRASH_AT']

export function crashPoint(point: CrashPoint): void {
  if (CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}
