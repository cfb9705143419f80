// Child process of bench:calls: the messenger server on loopback (no mDNS
// advertising, the factory's default), so its CPU is its own. It relays the
// calls' signalling only; the media goes browser to browser.
import pino from 'pino'
import { createMessengerServer, type MessengerServer } from '../../server'
import { serve } from './rpc'

let server: MessengerServer | null = null
const errors: string[] = []

/** A pino destination that keeps warnings and errors, to report them if a call goes wrong. */
const destination = {
  write(line: string): void {
    const entry = JSON.parse(line) as { level?: number }
    if ((entry.level ?? 0) >= 40) errors.push(line.trim())
  }
}

serve({
  start: async ({ dataDir, ringMs }: { dataDir: string; ringMs: number }): Promise<{ port: number; pid: number }> => {
    server = createMessengerServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'warn' }, destination),
      scryptN: 2 ** 12,
      sendLimits: false,
      // Group calls are joined one person after another from the ring card: none may miss it on a loaded machine.
      callRingMs: ringMs
    })
    const { port } = await server.listen()
    return { port, pid: process.pid }
  },
  errors: (): string[] => errors,
  exit: async () => {
    await server?.close()
    server = null
  }
})
