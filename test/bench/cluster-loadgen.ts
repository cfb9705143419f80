// Child process: the sockets of whole groups (a sender and its receivers, so
// one clock times each delivery), each connected to the node its spec names.
// Senders send with the send time in the text; receivers time `message:new`.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import type { Result } from '../../src/shared/errors'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'
import { newHistogram, record, sparse } from '../load/histogram'
import type { ClusterClient, ClusterLoadMark, ClusterPhase } from './cluster-types'
import { serve } from './rpc'
import { mapLimit, sleep } from './util'

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

interface Sender {
  spec: ClusterClient
  socket: ClientSocket
  inflight: number
  /** Sends due so far in a rate phase (sent or skipped). */
  due: number
  offset: number
}

const sockets: ClientSocket[] = []
const senders: Sender[] = []
let text = ''
let phase: ClusterPhase | null = null
let phaseStart = 0
let ticker: NodeJS.Timeout | null = null
const counts = { deliveries: 0, acks: 0, errors: 0, skipped: 0 }
let delivery = newHistogram()
let ack = newHistogram()
/** Wall-clock milliseconds with sub-millisecond resolution. */
const now = (): number => performance.timeOrigin + performance.now()

async function connect(spec: ClusterClient): Promise<void> {
  const socket: ClientSocket = io(spec.url, { auth: { token: spec.token }, transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  sockets.push(socket)
  if (spec.sender) {
    senders.push({ spec, socket, inflight: 0, due: 0, offset: Math.random() })
    return
  }
  socket.on('message:new', ({ message }) => {
    const sentAt = Number(message.text.split(' ', 1)[0])
    if (!Number.isFinite(sentAt)) return
    counts.deliveries++
    record(delivery, now() - sentAt)
  })
}

function send(s: Sender): void {
  s.inflight++
  const started = now()
  const payload = { conversationId: s.spec.conversationId, clientId: randomUUID(), text: `${started} ${text}` }
  s.socket.emit('message:send', payload, (result: Result<unknown>) => {
    s.inflight--
    if (result.ok) {
      counts.acks++
      record(ack, now() - started)
    } else {
      counts.errors++
    }
    if (phase?.mode === 'closed') pump(s, phase.inflight)
  })
}

function pump(s: Sender, inflight: number): void {
  while (s.inflight < inflight) send(s)
}

function tick(): void {
  if (phase?.mode !== 'rate') return
  const elapsed = performance.now() - phaseStart
  for (const s of senders) {
    const due = Math.floor((elapsed * phase.perSenderRate) / 1000 + s.offset)
    while (s.due < due) {
      s.due++
      if (s.inflight >= phase.maxInflight) counts.skipped++
      else send(s)
    }
  }
}

serve({
  connect: async ({ clients, textBytes }: { clients: ClusterClient[]; textBytes: number }) => {
    text = 'x'.repeat(Math.max(1, textBytes - 20))
    await mapLimit(clients, 16, connect)
    return sockets.length
  },
  start: (next: ClusterPhase) => {
    phase = next
    phaseStart = performance.now()
    for (const s of senders) s.due = 0
    if (next.mode === 'closed') for (const s of senders) pump(s, next.inflight)
    else ticker = setInterval(tick, 5)
    return null
  },
  /** Counts and histograms since the previous mark. */
  mark: (): ClusterLoadMark => {
    const mark = { cpu: process.cpuUsage(), ...counts, delivery: sparse(delivery), ack: sparse(ack) }
    counts.deliveries = counts.acks = counts.errors = counts.skipped = 0
    delivery = newHistogram()
    ack = newHistogram()
    return mark
  },
  /** Stops sending and waits (bounded) for outstanding acks. */
  halt: async () => {
    phase = null
    if (ticker) clearInterval(ticker)
    ticker = null
    const deadline = Date.now() + 10_000
    while (senders.some((s) => s.inflight > 0) && Date.now() < deadline) await sleep(20)
    return senders.reduce((n, s) => n + s.inflight, 0)
  },
  exit: () => {
    for (const s of sockets) s.close()
    return null
  }
})
