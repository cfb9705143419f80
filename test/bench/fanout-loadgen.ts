// Child process: socket.io-client sockets that send messages and count the
// `message:new` deliveries they receive.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import type { Result } from '../../src/shared/errors'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'
import type { ClientSpec, LoadMark, LoadPlan, Phase } from './fanout-types'
import { serve } from './rpc'
import { mapLimit, sleep } from './util'

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

interface Client {
  spec: ClientSpec
  socket: ClientSocket
  inflight: number
  /** Sends due so far in a rate phase (sent or skipped). */
  sent: number
  offset: number
}

const clients: Client[] = []
let text = ''
let phase: Phase | null = null
let phaseStart = 0
let ticker: NodeJS.Timeout | null = null
let deliveries = 0
let acks = 0
let errors = 0
let skipped = 0
let latencies: number[] = []

function connect(url: string, spec: ClientSpec): Promise<Client> {
  const socket: ClientSocket = io(url, {
    auth: spec.token ? { token: spec.token } : {},
    query: { room: spec.conversationId },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true
  })
  const client: Client = { spec, socket, inflight: 0, sent: 0, offset: Math.random() }
  socket.on('message:new', () => {
    deliveries++
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client))
    socket.once('connect_error', reject)
  })
}

function send(c: Client): void {
  c.inflight++
  const started = performance.now()
  const payload = { conversationId: c.spec.conversationId, clientId: randomUUID(), text }
  c.socket.emit('message:send', payload, (result: Result<unknown>) => {
    c.inflight--
    if (result.ok) {
      acks++
      latencies.push(performance.now() - started)
    } else {
      errors++
    }
    if (phase?.mode === 'closed') pump(c, phase.inflight)
  })
}

function pump(c: Client, inflight: number): void {
  while (c.inflight < inflight) send(c)
}

function tick(): void {
  if (phase?.mode !== 'rate') return
  const elapsed = performance.now() - phaseStart
  for (const c of clients) {
    const due = Math.floor((elapsed * phase.perClientRate) / 1000 + c.offset)
    while (c.sent < due) {
      c.sent++
      if (c.inflight >= phase.maxInflight) skipped++
      else send(c)
    }
  }
}

serve({
  connect: async (plan: LoadPlan) => {
    const unit = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '
    text = unit.repeat(Math.ceil(plan.textBytes / unit.length)).slice(0, plan.textBytes).trimEnd()
    clients.push(...(await mapLimit(plan.clients, 16, (spec) => connect(plan.url, spec))))
    return clients.length
  },
  start: (next: Phase) => {
    phase = next
    phaseStart = performance.now()
    for (const c of clients) c.sent = 0
    if (next.mode === 'closed') for (const c of clients) pump(c, next.inflight)
    else ticker = setInterval(tick, 5)
    return null
  },
  mark: ({ withLatencies }: { withLatencies: boolean }): LoadMark => {
    const mark = { at: performance.now(), cpu: process.cpuUsage(), deliveries, acks, errors, skipped, latencies: withLatencies ? latencies : [] }
    latencies = []
    return mark
  },
  /** Stops sending and waits (bounded) for outstanding acks. */
  halt: async () => {
    phase = null
    if (ticker) clearInterval(ticker)
    ticker = null
    const deadline = Date.now() + 10_000
    while (clients.some((c) => c.inflight > 0) && Date.now() < deadline) await sleep(20)
    return clients.reduce((n, c) => n + c.inflight, 0)
  },
  exit: () => {
    for (const c of clients) c.socket.close()
    return null
  }
})
