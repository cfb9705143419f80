// Write load for the backup suite: several real socket.io clients keep
// acknowledged sends in flight into a few conversations, recording every ack.
import { randomUUID } from 'node:crypto'
import type { Message } from '../../../src/shared/schemas/messages'
import { emitAck, type ClientSocket } from '../../helpers/socket'

export interface Acked {
  conversationId: string
  seq: number
}

export class SendLoad {
  /** clientId → where its ack said it is. */
  readonly acked = new Map<string, Acked>()
  readonly attempted = new Set<string>()
  private stopped = false
  private readonly runs: Promise<void>[]
  private waiters: { count: number; resolve: () => void }[] = []

  /** Starts `inFlight` send loops per socket, each going round the conversations. */
  constructor(sockets: ClientSocket[], conversationIds: string[], inFlight: number) {
    this.runs = sockets.flatMap((socket, s) => Array.from({ length: inFlight }, (_, i) => this.loop(socket, conversationIds, s + i)))
  }

  /** Resolves once this many sends in all were acknowledged. */
  reached(count: number): Promise<void> {
    if (this.acked.size >= count) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ count, resolve }))
  }

  /** Stops sending and waits for the loops; a send cut by a dead server ends its loop quietly. */
  async halt(): Promise<void> {
    this.stopped = true
    await Promise.all(this.runs)
  }

  private async loop(socket: ClientSocket, conversationIds: string[], start: number): Promise<void> {
    for (let n = start; !this.stopped; n++) {
      const conversationId = conversationIds[n % conversationIds.length]!
      const clientId = randomUUID()
      this.attempted.add(clientId)
      let ack
      try {
        ack = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId, clientId, text: `load ${clientId}` })
      } catch (err) {
        if (this.stopped || socket.disconnected) return
        throw err
      }
      if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`)
      this.acked.set(clientId, { conversationId, seq: ack.data.message.seq })
      this.waiters = this.waiters.filter((w) => (this.acked.size >= w.count ? (w.resolve(), false) : true))
    }
  }
}
