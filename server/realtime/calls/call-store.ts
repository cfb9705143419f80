// Where the state of running calls lives: in this process for one node, in
// Redis when several nodes serve one organisation (../../cluster/call-store.ts).
// A small key-value interface with transactions, so the call logic is written
// once and both engines run it the same way.
import { OneAtATime } from '../../../src/node/one-at-a-time'

/** Reads and buffered writes of one transaction. */
export interface CallTx {
  /** The value now (or as written earlier in this transaction); with Redis the key is watched. */
  read(key: string): Promise<string | null>
  /** Applied with the others when the transaction commits; null deletes. */
  write(key: string, value: string | null): void
}

export interface CallStore {
  /** This node's id (the presence directory's with Redis). */
  readonly nodeId: string
  /**
   * Runs `work` so that no other change to the keys it read lands in
   * between; with Redis it is run again when another node changed one of them
   * first, so it must do nothing but read and write through `tx`.
   */
  transact<T>(work: (tx: CallTx) => Promise<T>): Promise<T>
  /** A value now, outside any transaction (a relayed signal only reads). */
  get(key: string): Promise<string | null>
  /** The values of every key starting with `call:` (the running calls). */
  calls(): Promise<string[]>
  /** Nodes alive now; null when there is only this one. */
  liveNodes(): Promise<Set<string> | null>
  close(): Promise<void>
}

/** One node: a map, and one transaction at a time. */
export function createMemoryCallStore(): CallStore {
  const values = new Map<string, string>()
  const queue = new OneAtATime()
  return {
    nodeId: 'local',
    transact: (work) =>
      queue.run(async () => {
        const writes = new Map<string, string | null>()
        const result = await work({
          read: (key) => Promise.resolve(writes.has(key) ? (writes.get(key) ?? null) : (values.get(key) ?? null)),
          write: (key, value) => void writes.set(key, value)
        })
        for (const [key, value] of writes) {
          if (value === null) values.delete(key)
          else values.set(key, value)
        }
        return result
      }),
    get: (key) => Promise.resolve(values.get(key) ?? null),
    calls: () => Promise.resolve([...values].filter(([key]) => key.startsWith('call:')).map(([, value]) => value)),
    liveNodes: () => Promise.resolve(null),
    close: () => Promise.resolve()
  }
}
