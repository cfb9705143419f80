// The accounts this app has signed in to, keyed by server + user, each with
// its own data directory, so several servers and accounts can live side by side.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { AccountSummary, KnownServer } from '../../shared/ipc'
import { mkdirDurable } from '../../node/fsync'
import { DurableJsonFile } from '../../node/json-file'

interface AccountsData {
  accounts: AccountSummary[]
  /** The account to sign in to at start. */
  activeId: string | null
  /** Every server signed in to, most recent first: kept after signing out, for the first-run screen. */
  servers?: KnownServer[]
}

/** Enough for a first-run screen; older ones are dropped. */
const KNOWN_SERVERS_MAX = 20

export function accountId(serverUrl: string, userId: string): string {
  return createHash('sha256').update(`${normalizeServerUrl(serverUrl)}\n${userId}`).digest('hex').slice(0, 32)
}

/** One spelling per server: lower-case scheme and host, no trailing slash. */
export function normalizeServerUrl(serverUrl: string): string {
  const url = new URL(serverUrl)
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
}

export class AccountRegistry {
  private constructor(
    private readonly db: Low<AccountsData>,
    readonly userDataDir: string
  ) {}

  static async open(userDataDir: string): Promise<AccountRegistry> {
    await mkdirDurable(userDataDir)
    const db = new Low<AccountsData>(new DurableJsonFile(join(userDataDir, 'accounts.json')), { accounts: [], activeId: null })
    await db.read()
    return new AccountRegistry(db, userDataDir)
  }

  list(): AccountSummary[] {
    return this.db.data.accounts.map((a) => ({ ...a }))
  }

  get(id: string): AccountSummary | undefined {
    return this.db.data.accounts.find((a) => a.id === id)
  }

  active(): AccountSummary | undefined {
    const id = this.db.data.activeId
    return id ? this.get(id) : undefined
  }

  /** Where this account's cache and outbox live. */
  dataDir(id: string): string {
    return join(this.userDataDir, 'accounts', id)
  }

  /** Servers signed in to before, most recent first. */
  knownServers(): KnownServer[] {
    const servers = (this.db.data.servers ?? []).map((s) => ({ ...s }))
    // Accounts kept before servers were recorded.
    for (const a of this.db.data.accounts) {
      if (!servers.some((s) => s.serverUrl === a.serverUrl)) servers.push({ serverUrl: a.serverUrl, name: a.serverName ?? null })
    }
    return servers
  }

  async remember(account: AccountSummary): Promise<void> {
    const rest = this.db.data.accounts.filter((a) => a.id !== account.id)
    this.db.data.accounts = [account, ...rest]
    this.db.data.activeId = account.id
    const server: KnownServer = { serverUrl: account.serverUrl, name: account.serverName ?? null }
    const others = (this.db.data.servers ?? []).filter((s) => s.serverUrl !== server.serverUrl)
    this.db.data.servers = [server, ...others].slice(0, KNOWN_SERVERS_MAX)
    await this.db.write()
  }

  async setActive(id: string | null): Promise<void> {
    this.db.data.activeId = id
    await this.db.write()
  }

  async forget(id: string): Promise<void> {
    this.db.data.accounts = this.db.data.accounts.filter((a) => a.id !== id)
    if (this.db.data.activeId === id) this.db.data.activeId = null
    await this.db.write()
  }
}
