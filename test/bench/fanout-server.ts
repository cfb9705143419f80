// Child process: runs one server under test, alone, so process.cpuUsage() is
// the server's CPU (all threads, fsync included) and nothing else's.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMessengerServer, silentLogger } from '../../server'
import { startBareServer } from './fanout-bare'
import type { ServerKind, ServerMark } from './fanout-types'
import { serve } from './rpc'

let close: (() => Promise<void>) | null = null
let dataDir: string | null = null

serve({
  start: async (kind: ServerKind) => {
    if (kind === 'bare') {
      const bare = await startBareServer()
      close = () => bare.close()
      return bare.port
    }
    dataDir = await mkdtemp(join(tmpdir(), 'bench-fanout-'))
    const server = createMessengerServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      scryptN: 2 ** 14,
      loginLimit: { windowMs: 60_000, max: 100_000 }
    })
    const { port } = await server.listen()
    close = () => server.close()
    return port
  },
  mark: (): ServerMark => ({ at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() }),
  exit: async () => {
    await close?.()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
})
