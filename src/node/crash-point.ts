// A test hook shared by the server and the client core: with
// MESSENGER_CRASH_AT=<point> the process kills itself at that point, as a
// power cut would (SIGKILL: nothing is flushed), so the reliability suites can
// prove a restart recovers. Off unless the variable is set.

// Read once: the send path asks several times a message, and the variable is
// only ever set when the process is spawned.
const CRASH_AT = process.env['MESSENGER_CRASH_AT']

/** The hook for one process's named points. */
export function crashPoints<Point extends string>(): (point: Point) => void {
  return (point) => {
    if (CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
  }
}
