// messenger:// links: `messenger://join?server=…&code=…&invite=…` opens the
// join screen with that server (and group join code, sign-up invite code). They arrive as a command-line
// argument (Windows, Linux, a second launch) or an `open-url` event (macOS).
export const PROTOCOL = 'messenger'
const MAX_LINK = 2048

/** The invite link, rebuilt from its parsed parts, or null when it is not a join link. */
export function parseJoinLink(text: string): string | null {
  if (text.length > MAX_LINK) return null
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (url.protocol !== `${PROTOCOL}:`) return null
  // messenger://join?… parses with host "join"; messenger:join?… with pathname "join".
  const action = url.host || url.pathname.replace(/^\/+/, '')
  if (action !== 'join') return null
  const server = url.searchParams.get('server')
  if (!server) return null
  const out = new URLSearchParams({ server })
  for (const key of ['code', 'invite']) {
    const value = url.searchParams.get(key)
    if (value) out.set(key, value)
  }
  return `${PROTOCOL}://join?${out.toString()}`
}

/** The first join link among a process's arguments (the OS passes it as one). */
export function joinLinkFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${PROTOCOL}:`)) continue
    const link = parseJoinLink(arg)
    if (link) return link
  }
  return null
}
