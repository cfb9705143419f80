import type { ConnectionState } from '../../../shared/ipc'
import { api } from '../lib/api'
import type { Slice } from './types'

export interface ConnectionSlice {
  connection: ConnectionState
  setConnection(connection: ConnectionState): void
  retryConnection(): void
}

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: { status: 'connecting', queued: 0, syncing: false, error: null },
  setConnection(connection) {
    set({ connection })
  },
  retryConnection() {
    void api().connection.retry()
  }
})
