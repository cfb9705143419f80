// Child process: the sockets of whole groups (a sender and its receivers, so
// one clock times each delivery), each connected to the node its spec names.
// Senders send with the send time in the text; receivers time `message:new`.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { io } from 'socket.io-client'
import type { Result } from '../../src/shared/errors'
import type { ClientSocket } from '../helpers/socket'
import { newHistogram, record, sparse } from '../load/histogram'
import type { ClusterClient, ClusterLoadMark, ClusterPhase } from './cluster-types'
import { Pacer } from './pacer'
import { serve } from './rpc'
import { mapLimit } from './util'

interface Sender {
  spec: ClusterClient
  socket: ClientSocket
}

const sockets: ClientSocket[] = []
let text = ''
const counts = { deliveries: 0, acks: 0, errors: 0, skipped: 0 }
let delivery = newHistogram()
let ack = newHistogram()
/** Wall-clock milliseconds with sub-millisecond resolution. */
const now = (): number => performance.timeOrigin + performance.now()

const pacer = new Pacer<Sender>(
  (s, acked) => {
    const started = now()
    const payload = { conversationId: s.spec.conversationId, clientId: randomUUID(), text: `${started} ${text}` }
    s.socket.emit('message:send', payload, (result: Result<unknown>) => {
      if (result.ok) {
        counts.acks++
        record(ack, now() - started)
      } else {
        counts.errors++
      }
      acked()
    })
  },
  () => counts.skipped++
)

async function connect(spec: ClusterClient): Promise<void> {
  const socket: ClientSocket = io(spec.url, { auth: { token: spec.token }, transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  sockets.push(socket)
  if (spec.sender) {
    pacer.add({ spec, socket })
    return
  }
  socket.on('message:new', ({ message }) => {
    const sentAt = Number(message.text.split(' ', 1)[0])
    if (!Number.isFinite(sentAt)) return
    counts.deliveries++
    record(delivery, now() - sentAt)
  })
}

serve({
  connect: async ({ clients, textBytes }: { clients: ClusterClient[]; textBytes: number }) => {
    text = 'x'.repeat(Math.max(1, textBytes - 20))
    await mapLimit(clients, 16, connect)
    return sockets.length
  },
  start: (next: ClusterPhase) => {
    pacer.start(next)
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
  halt: () => pacer.halt(),
  exit: () => {
    for (const s of sockets) s.close()
    return null
  }
})
