// How one signed-in account is named beside the others: by its server, and by
// the username too where two accounts share a server. The window's account
// switcher and the desktop notifications say the same.
import type { AccountSummary } from './ipc'

type Named = Pick<AccountSummary, 'id' | 'serverUrl' | 'username'> & { serverName?: string | null }

/** The server's own name, or its host and port for an account kept before names were recorded. */
export function serverLabel(account: Pick<Named, 'serverUrl' | 'serverName'>): string {
  if (account.serverName) return account.serverName
  try {
    return new URL(account.serverUrl).host
  } catch {
    return account.serverUrl
  }
}

/** "Front office", or "alice on Front office" when another account of `all` is on the same server. */
export function accountLabel(account: Named, all: readonly Named[]): string {
  const server = serverLabel(account)
  const shared = all.some((other) => other.id !== account.id && other.serverUrl === account.serverUrl)
  return shared ? `${account.username} on ${server}` : server
}
