// A mark of this process's life that every node can see: a connection kept
// open, holding a session advisory lock on a random key. The kernel closes
// the connection when the process dies (kill -9 included), PostgreSQL ends
// the session and the lock with it, so other nodes stop honouring this
// node's upload leases at once instead of waiting for them to expire
// (messenger_lease_free, migration 006). Opened on first use: a process that
// never writes an upload holds no extra connection.
import { randomBytes } from 'node:crypto'
import type { Logger } from '../../logger'
import { mapError, type Pool, type PoolClient } from './pool'

export class SessionMark {
  private held: Promise<{ client: PoolClient; key: string }> | null = null
  private client: PoolClient | null = null
  private closed = false

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger
  ) {}

  /** The advisory key this process's session holds now (a new one after a lost connection). */
  async key(): Promise<string> {
    if (this.closed) throw new Error('the store is closed')
    this.held ??= this.take()
    const held = this.held
    try {
      return (await held).key
    } catch (err) {
      if (this.held === held) this.held = null
      throw mapError(err)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    const held = this.held
    this.held = null
    const mark = await held?.catch(() => null)
    // Destroyed rather than unlocked: the lock ends with the session.
    mark?.client.release(true)
  }

  private async take(): Promise<{ client: PoolClient; key: string }> {
    const client = await this.pool.connect()
    // A fresh key each life of the connection: an old session PostgreSQL has not yet noticed is gone cannot block it.
    const key = randomBytes(8).readBigInt64BE().toString()
    client.on('error', (err) => {
      this.log.warn({ err }, "the connection that marks this node's upload leases broke; it is opened again on the next upload")
      if (this.client === client) this.held = null
      client.release(err)
    })
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key])
    } catch (err) {
      client.release(err instanceof Error ? err : true)
      throw err
    }
    this.client = client
    return { client, key }
  }
}
