// Child process: the server under load, alone, so its memory and CPU are its own.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessengerServer, silentLogger } from '../../server'
import { serve } from '../bench/rpc'
import type { ServerMark } from './load-types'

let close: (() => Promise<void>) | null = null
let dataDir: string | null = null

serve({
  start: async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'load-'))
    const server = createMessengerServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      // Signing up 10,000 users is set-up, not what is measured.
      scryptN: 2 ** 10,
      loginLimit: { windowMs: 60_000, max: 1_000_000 }
    })
    const { port } = await server.listen()
    close = () => server.close()
    return port
  },
  mark: (): ServerMark => {
    const m = process.memoryUsage()
    return { rss: m.rss, heapUsed: m.heapUsed, cpu: process.cpuUsage(), at: Date.now() }
  },
  exit: async () => {
    await close?.()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
})
