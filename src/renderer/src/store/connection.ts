import type { ConnectionState } from '../../../shared/ipc'
import { api } from '../lib/api'
import type { Slice } from './types'

export interface ConnectionSlice {
  connection: ConnectionState
  /** When this window's account last went from online to not (ISO), while it stays so: what it knew of others is as old. */
  connectionLostAt: string | null
  setConnection(connection: ConnectionState): void
  retryConnection(): void
}

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: { status: 'connecting', queued: 0, syncing: false, error: null },
  connectionLostAt: null,
  setConnection(connection) {
    set((s) => ({
      connection,
      connectionLostAt:
        connection.status === 'online' ? null : s.connection.status === 'online' ? new Date().toISOString() : s.connectionLostAt
    }))
  },
  retryConnection() {
    void api().connection.retry()
  }
})
