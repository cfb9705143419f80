// The call engine's warnings (a failed negotiation step, stats that could not
// be read): for the developer tools' console; the user sees a peer's
// connection state and error codes instead.
export function warn(what: string, err: unknown): void {
  // eslint-disable-next-line no-console -- the window has no log file; this is where a developer looks
  console.warn(`[calls] ${what}:`, err)
}
