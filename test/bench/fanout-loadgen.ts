// Child process: socket.io-client sockets that send messages and count the
// `message:new` deliveries they receive.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { io } from 'socket.io-client'
import type { Result } from '../../src/shared/errors'
import type { ClientSocket } from '../helpers/socket'
import type { ClientSpec, LoadMark, LoadPlan, Phase } from './fanout-types'
import { Pacer } from './pacer'
import { serve } from './rpc'
import { mapLimit } from './util'

interface Client {
  spec: ClientSpec
  socket: ClientSocket
}

const clients: Client[] = []
let text = ''
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
  const client: Client = { spec, socket }
  socket.on('message:new', () => {
    deliveries++
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client))
    socket.once('connect_error', reject)
  })
}

const pacer = new Pacer<Client>(
  (c, acked) => {
    const started = performance.now()
    const payload = { conversationId: c.spec.conversationId, clientId: randomUUID(), text }
    c.socket.emit('message:send', payload, (result: Result<unknown>) => {
      if (result.ok) {
        acks++
        latencies.push(performance.now() - started)
      } else {
        errors++
      }
      acked()
    })
  },
  () => skipped++
)

serve({
  connect: async (plan: LoadPlan) => {
    const unit = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '
    text = unit.repeat(Math.ceil(plan.textBytes / unit.length)).slice(0, plan.textBytes).trimEnd()
    for (const c of await mapLimit(plan.clients, 16, (spec) => connect(plan.url, spec))) {
      clients.push(c)
      pacer.add(c)
    }
    return clients.length
  },
  start: (next: Phase) => {
    pacer.start(next)
    return null
  },
  mark: ({ withLatencies }: { withLatencies: boolean }): LoadMark => {
    const mark = { at: performance.now(), cpu: process.cpuUsage(), deliveries, acks, errors, skipped, latencies: withLatencies ? latencies : [] }
    latencies = []
    return mark
  },
  /** Stops sending and waits (bounded) for outstanding acks. */
  halt: () => pacer.halt(),
  exit: () => {
    for (const c of clients) c.socket.close()
    return null
  }
})
