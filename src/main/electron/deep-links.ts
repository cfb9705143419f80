// messenger:// links: `messenger://join?server=…&fp=…&code=…&invite=…` opens the
// join screen with that server (and the certificate fingerprint it vouches
// for, group join code, sign-up invite code). They arrive as a command-line
// argument (Windows, Linux, a second launch) or an `open-url` event (macOS).
import { inviteLink, parseServerInput } from '../../shared/invite'
import type { AccountSummary, OpenTarget } from '../../shared/ipc'
import { parseMessageLink, sameServer } from '../../shared/message-link'

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
  // Rebuilt from the parts the app knows (server, certificate fingerprint, codes), the same way the host writes them.
  const parts = parseServerInput(text)
  if (!parts.server) return null
  return inviteLink(parts.server, parts.fingerprint, { code: parts.code ?? undefined, invite: parts.invite ?? undefined })
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

/**
 * Issue 20: what a messenger:// link opens: the join screen, or one message
 * (messenger://message, copied from a message's menu) in the signed-in
 * account of its server, when there is one (else the shown account tries it).
 */
export function openTargetOf(text: string, accounts: readonly AccountSummary[]): OpenTarget | null {
  if (text.length > MAX_LINK) return null
  const invite = parseJoinLink(text)
  if (invite) return { invite }
  const link = parseMessageLink(text)
  if (!link) return null
  const account = accounts.find((a) => sameServer(a.serverUrl, link.server))
  return { message: { conversationId: link.conversationId, seq: link.seq, ...(account ? { accountId: account.id } : {}) } }
}

/** The first messenger:// link among a process's arguments, as what it opens. */
export function openTargetFromArgv(argv: readonly string[], accounts: readonly AccountSummary[]): OpenTarget | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${PROTOCOL}:`)) continue
    const target = openTargetOf(arg, accounts)
    if (target) return target
  }
  return null
}
