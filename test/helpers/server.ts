// A real server on a free loopback port with its own temp data directory.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessengerServer, silentLogger, type MessengerServer, type MessengerServerOptions } from '../../server'

export interface TestServer {
  url: string
  dataDir: string
  /** The certificate's SHA-256 fingerprint with `tls: true`, else null. */
  fingerprint: string | null
  server: MessengerServer
  /** Stops the server; the data directory stays until `destroy`. */
  stop(): Promise<void>
  destroy(): Promise<void>
}

/** Test servers use a lower scrypt cost so registering users stays fast; one unit test covers the default. */
export const TEST_SCRYPT_N = 2 ** 12

export async function startServer(
  options: Partial<MessengerServerOptions> = {},
  dataDir?: string
): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'messenger-test-')))
  const server = createMessengerServer({
    dataDir: dir,
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    scryptN: TEST_SCRYPT_N,
    ...options
  })
  const { port } = await server.listen()
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await server.close()
  }
  const fingerprint = server.identity()?.fingerprint ?? null
  return {
    url: `${fingerprint ? 'https' : 'http'}://127.0.0.1:${port}`,
    dataDir: dir,
    fingerprint,
    server,
    stop,
    destroy: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
