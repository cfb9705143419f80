// Child process: thousands of authenticated socket.io-client sockets, each a
// member of a group. It sends at a fixed rate from random sockets and times
// each delivery (message:new on another socket, in any load generator: the
// send time and the sender's node travel in the text) and each ack.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import type { Result } from '../../src/shared/errors'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'
import { serve } from '../bench/rpc'
import { mapLimit } from '../bench/util'
import { newHistogram, record, sparse } from './histogram'
import type { GenMark, LoadClient } from './load-types'

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>
interface Client {
  spec: LoadClient
  socket: ClientSocket
}

const clients: Client[] = []
let ticker: NodeJS.Timeout | null = null
const stats = { sent: 0, acks: 0, deliveries: 0, errors: 0 }
const errorKinds: Record<string, number> = {}
let delivery = newHistogram()
let ack = newHistogram()
let crossNode = newHistogram()
let sameNode = newHistogram()
let cpuAtMark = process.cpuUsage()
/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const now = (): number => performance.timeOrigin + performance.now()

function error(kind: string): void {
  stats.errors++
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1
}

function connectOne(url: string, spec: LoadClient): Promise<void> {
  const socket: ClientSocket = io(spec.url ?? url, { auth: { token: spec.token }, transports: ['websocket'], reconnection: false, forceNew: true })
  const node = `n${spec.node ?? 0}`
  socket.on('message:new', ({ message }) => {
    const [at, from] = message.text.split(' ', 2)
    const sentAt = Number(at)
    if (!Number.isFinite(sentAt)) return
    stats.deliveries++
    const ms = now() - sentAt
    record(delivery, ms)
    record(from === node ? sameNode : crossNode, ms)
  })
  return new Promise((resolve) => {
    socket.once('connect', () => {
      clients.push({ spec, socket })
      socket.on('disconnect', (reason) => error(`disconnect: ${reason}`))
      resolve()
    })
    socket.once('connect_error', (err) => {
      error(`connect: ${err.message}`)
      resolve()
    })
  })
}

function sendOne(text: string): void {
  const c = clients[Math.floor(Math.random() * clients.length)]
  if (!c) return
  const started = now()
  stats.sent++
  // The send time and the sender's node travel in the text.
  const body = `${started} n${c.spec.node ?? 0} ${text}`
  c.socket.timeout(30_000).emit('message:send', { conversationId: c.spec.conversationId, clientId: randomUUID(), text: body }, (err: Error | null, result: Result<unknown>) => {
    if (err) return error('ack timeout')
    if (!result.ok) return error(`refused: ${result.error.code}`)
    stats.acks++
    record(ack, now() - started)
  })
}

serve({
  connect: async ({ url, specs }: { url: string; specs: LoadClient[] }) => {
    await mapLimit(specs, 50, (spec) => connectOne(url, spec))
    return clients.length
  },
  /** Sends `perSecond` messages a second, spread evenly, until `stop`. */
  start: ({ perSecond, text }: { perSecond: number; text: string }) => {
    const tickMs = 20
    let due = 0
    let last = performance.now()
    ticker = setInterval(() => {
      const t = performance.now()
      due += ((t - last) / 1000) * perSecond
      last = t
      for (; due >= 1; due--) sendOne(text)
    }, tickMs)
  },
  stop: () => {
    if (ticker) clearInterval(ticker)
    ticker = null
  },
  /** Counts and histograms since the previous mark. */
  mark: (): GenMark => {
    const out: GenMark = {
      ...stats,
      errorKinds: { ...errorKinds },
      connected: clients.filter((c) => c.socket.connected).length,
      cpuUs: ((u) => u.user + u.system)(process.cpuUsage(cpuAtMark)),
      delivery: sparse(delivery),
      ack: sparse(ack),
      crossNode: sparse(crossNode),
      sameNode: sparse(sameNode)
    }
    stats.sent = stats.acks = stats.deliveries = stats.errors = 0
    for (const k of Object.keys(errorKinds)) delete errorKinds[k]
    delivery = newHistogram()
    ack = newHistogram()
    crossNode = newHistogram()
    sameNode = newHistogram()
    cpuAtMark = process.cpuUsage()
    return out
  },
  exit: () => {
    for (const c of clients) {
      c.socket.off('disconnect')
      c.socket.close()
    }
  }
})
