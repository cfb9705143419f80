// A TCP proxy on loopback that misbehaves at random: it delays what it
// forwards, goes silent on a connection and then cuts it, cuts connections
// outright, and refuses new ones for a while. Bytes on a connection that
// stays up are never lost or reordered (TCP does not do that); what a cut
// loses is whatever was still in flight.
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'

export interface FaultCounts {
  delayed: number
  blackholed: number
  cut: number
  refused: number
  connections: number
}

export interface ChaosProxy {
  url: string
  faults: FaultCounts
  /** Faults injected so far (delays not counted). */
  injected(): number
  /** Starts injecting faults, drawn from `rand`. */
  startChaos(rand: () => number): void
  /** Stops injecting; what is up stays up and new connections pass. */
  calm(): void
  /** Refuses and drops everything (the cable is pulled) until `restore`. */
  block(): void
  restore(): void
  close(): Promise<void>
}

interface Pair {
  client: Socket
  upstream: Socket
  silent: boolean
  /** Extra delay per forwarded chunk, ms (0: none). */
  delayMs: number
  /** Forwarding chains, so delayed chunks keep their order. */
  chains: [Promise<void>, Promise<void>]
}

export async function startChaosProxy(targetUrl: string): Promise<ChaosProxy> {
  const target = new URL(targetUrl)
  const open = new Set<Pair>()
  const faults: FaultCounts = { delayed: 0, blackholed: 0, cut: 0, refused: 0, connections: 0 }
  let refusing = false
  let blocked = false
  let timer: NodeJS.Timeout | null = null
  let rand: () => number = Math.random

  const end = (pair: Pair): void => {
    open.delete(pair)
    pair.client.destroy()
    pair.upstream.destroy()
  }
  const forward = (pair: Pair, from: Socket, to: Socket, chain: 0 | 1): void => {
    from.on('data', (chunk: Buffer) => {
      if (pair.silent) return
      if (pair.delayMs === 0) {
        to.write(chunk)
        return
      }
      const ms = pair.delayMs * rand()
      pair.chains[chain] = pair.chains[chain].then(() => new Promise<void>((resolve) => setTimeout(resolve, ms))).then(() => {
        if (!pair.silent && !to.destroyed) to.write(chunk)
      })
    })
  }
  const server: Server = createServer((client) => {
    if (blocked || refusing) {
      if (!blocked) faults.refused++
      client.destroy()
      return
    }
    faults.connections++
    const upstream = tcpConnect(Number(target.port), target.hostname)
    const pair: Pair = { client, upstream, silent: false, delayMs: 0, chains: [Promise.resolve(), Promise.resolve()] }
    open.add(pair)
    client.on('error', () => end(pair)).on('close', () => end(pair))
    upstream.on('error', () => end(pair)).on('close', () => end(pair))
    forward(pair, client, upstream, 0)
    forward(pair, upstream, client, 1)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }

  const injectOne = (): void => {
    const pairs = [...open]
    const pair = pairs[Math.floor(rand() * pairs.length)]
    const roll = rand()
    if (roll < 0.3) {
      // Refuse new connections for a while (a reconnect fails, then succeeds).
      faults.refused++
      refusing = true
      setTimeout(() => (refusing = false), 50 + rand() * 400)
      if (pair) end(pair)
    } else if (!pair) {
      return
    } else if (roll < 0.55) {
      faults.cut++
      end(pair)
    } else if (roll < 0.8) {
      // Silence, then the connection dies: what was sent meanwhile is gone.
      faults.blackholed++
      pair.silent = true
      setTimeout(() => end(pair), 50 + rand() * 500)
    } else {
      faults.delayed++
      pair.delayMs = 5 + rand() * 80
    }
  }
  const tick = (): void => {
    injectOne()
    timer = setTimeout(tick, 100 + rand() * 400)
  }

  const dropAll = (): void => {
    for (const pair of [...open]) end(pair)
  }
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    injected: () => faults.cut + faults.blackholed + faults.refused,
    startChaos: (r) => {
      rand = r
      timer ??= setTimeout(tick, 50)
    },
    calm: () => {
      if (timer) clearTimeout(timer)
      timer = null
      refusing = false
      for (const pair of open) pair.delayMs = 0
    },
    block: () => {
      blocked = true
      dropAll()
    },
    restore: () => {
      blocked = false
    },
    close: async () => {
      if (timer) clearTimeout(timer)
      blocked = true
      dropAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
