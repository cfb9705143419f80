// A real client core (the main process's logic, in plain Node) with its own
// temp user-data directory, talking to a real server.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientCore } from '../../src/main/core/client'
import { silentLogger } from '../../src/main/core/logger'
import { fileSecretStorage } from '../../src/main/core/secret-store'
import type { IpcMethod, IpcRequest, IpcResponse, MessengerEvent, MessengerEventName, MessengerEvents } from '../../src/shared/ipc'

export interface TestClient {
  core: ClientCore
  userDataDir: string
  /** Calls a method as the renderer would; throws on an error result (with its code in the message). */
  call<M extends IpcMethod>(method: M, request?: IpcRequest<M>): Promise<IpcResponse<M>>
  /** Resolves with the first event of this type that matches (also one already seen since the last `clearEvents`). */
  waitFor<K extends MessengerEventName>(type: K, match?: (payload: MessengerEvents[K]) => boolean, timeoutMs?: number): Promise<MessengerEvents[K]>
  events: MessengerEvent[]
  batches: number
  /** Closes the core (flushing its cache); the data directory stays for a restart. */
  close(): Promise<void>
  destroy(): Promise<void>
}

export async function startClient(userDataDir?: string): Promise<TestClient> {
  const dir = userDataDir ?? (await mkdtemp(join(tmpdir(), 'messenger-client-')))
  const core = await ClientCore.create({
    userDataDir: dir,
    secrets: fileSecretStorage(join(dir, 'secrets.json')),
    host: 'web',
    version: 'test',
    logger: silentLogger
  })
  const events: MessengerEvent[] = []
  const waiters = new Set<() => void>()
  const client: TestClient = {
    core,
    userDataDir: dir,
    events,
    batches: 0,
    async call(method, request) {
      const result = await core.dispatch(method, request ?? {})
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`)
      return result.data as never
    },
    waitFor(type, match = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.find((e) => e.type === type && match(e.payload as never))
          if (!found) return false
          waiters.delete(check as () => void)
          clearTimeout(timer)
          resolve(found.payload as never)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check as () => void)
          reject(new Error(`timed out waiting for a "${type}" event`))
        }, timeoutMs)
        if (!check()) waiters.add(check as () => void)
      })
    },
    close: () => core.close(),
    destroy: async () => {
      await core.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  core.subscribe((batch) => {
    client.batches++
    events.push(...batch)
    for (const waiter of [...waiters]) waiter()
  })
  await core.start()
  return client
}
