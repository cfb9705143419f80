// LISTEN/NOTIFY between the nodes of one database: a second, slower way to
// say "something changed" that does not go through Redis. A node cut off
// from Redis while the others are not uses it, so their clients still catch
// up on what it did (see server/realtime/redis-outage.ts).
import pg from 'pg'
import type { Logger } from '../../logger'
import type { Notices } from '../types'
import { mapError, query, type Pool } from './pool'

/** Longest wait between attempts to listen again after the connection broke. */
const RELISTEN_MAX_MS = 5000

export class PgNotices implements Notices {
  private client: pg.Client | null = null
  private readonly listeners = new Map<string, Set<(payload: string) => void>>()
  private closed = false
  private retry: NodeJS.Timeout | null = null
  private failures = 0
  private connecting: Promise<void> | null = null

  constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly log: Logger
  ) {}

  async notify(channel: string, payload: string): Promise<void> {
    try {
      await query(this.pool, 'SELECT pg_notify($1, $2)', [channel, payload])
    } catch (err) {
      throw mapError(err)
    }
  }

  async listen(channel: string, listener: (payload: string) => void): Promise<void> {
    let set = this.listeners.get(channel)
    if (!set) this.listeners.set(channel, (set = new Set()))
    set.add(listener)
    if (this.client) await this.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    else if (!this.retry) await (this.connecting ??= this.connect().finally(() => (this.connecting = null)))
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.retry) clearTimeout(this.retry)
    const client = this.client
    this.client = null
    await client?.end().catch(() => undefined)
  }

  /** One connection of its own (a pooled one would be handed to others); LISTENs again after it breaks. */
  private async connect(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client({ connectionString: this.url, application_name: 'messenger-server notices', keepAlive: true })
    const broke = (err?: Error): void => {
      if (this.client !== client) return
      this.client = null
      if (!this.closed) {
        this.log.warn({ err }, 'lost the PostgreSQL connection that hears other nodes; listening again shortly')
        this.scheduleReconnect()
      }
    }
    client.on('error', broke)
    client.on('end', () => broke())
    client.on('notification', (n) => {
      for (const listener of this.listeners.get(n.channel) ?? []) listener(n.payload ?? '')
    })
    try {
      await client.connect()
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      this.client = client
      this.failures = 0
    } catch (err) {
      await client.end().catch(() => undefined)
      if (this.closed) return
      this.log.warn({ err: mapError(err) }, 'could not listen for other nodes on PostgreSQL; trying again shortly')
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    if (this.retry || this.closed) return
    const delay = Math.min(RELISTEN_MAX_MS, 250 * 2 ** Math.min(this.failures++, 5))
    this.retry = setTimeout(() => {
      this.retry = null
      void (this.connecting ??= this.connect().finally(() => (this.connecting = null)))
    }, delay)
    this.retry.unref()
  }
}
