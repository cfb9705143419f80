import type { SecretRepo } from '../types'
import { query, type Pool } from './pool'

export class PgSecretRepo implements SecretRepo {
  constructor(private readonly pool: Pool) {}

  async getOrCreate(name: string, make: () => Promise<string>): Promise<{ value: string; created: boolean }> {
    const stored = await this.value(name)
    if (stored !== undefined) return { value: stored, created: false }
    const { rowCount } = await query(this.pool, 'INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      await make()
    ])
    // Another node stored one first: theirs is the one every node uses.
    const value = await this.value(name)
    if (value === undefined) throw new Error(`the server secret ${name} vanished while it was being made`)
    return { value, created: rowCount === 1 }
  }

  private async value(name: string): Promise<string | undefined> {
    const { rows } = await query<{ value: string }>(this.pool, 'SELECT value FROM server_secrets WHERE name = $1', [name])
    return rows[0]?.value
  }
}
