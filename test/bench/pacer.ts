// When a load generator's senders send, for the fan-out and the several-nodes
// benchmarks alike: closed-loop phases (each sender keeps a number of sends
// outstanding, sending again on each ack) and fixed-rate phases (sends fall
// due on a clock; one is skipped, and counted, when too many are outstanding).
// How a message is sent and what is recorded stay with each load generator.
import { performance } from 'node:perf_hooks'
import { sleep } from './util'

export type LoadPhase =
  /** Every sender keeps `inflight` sends outstanding, sending again on each ack: as fast as acks allow. */
  | { mode: 'closed'; inflight: number }
  /** Every sender sends `perSenderRate` messages/s; a send is skipped when `maxInflight` are outstanding. */
  | { mode: 'rate'; perSenderRate: number; maxInflight: number }

/** Sends one message from `sender` and calls `acked` once its ack (or error) is in. */
export type SendOne<S> = (sender: S, acked: () => void) => void

interface Paced<S> {
  sender: S
  inflight: number
  /** Sends due so far in a rate phase (sent or skipped). */
  due: number
  offset: number
}

export class Pacer<S> {
  private readonly paced: Paced<S>[] = []
  private phase: LoadPhase | null = null
  private phaseStart = 0
  private ticker: NodeJS.Timeout | null = null

  constructor(
    private readonly sendOne: SendOne<S>,
    private readonly onSkip: () => void
  ) {}

  add(sender: S): void {
    // A random phase offset, so senders of one rate do not all send on the same tick.
    this.paced.push({ sender, inflight: 0, due: 0, offset: Math.random() })
  }

  start(phase: LoadPhase): void {
    this.phase = phase
    this.phaseStart = performance.now()
    for (const p of this.paced) p.due = 0
    if (phase.mode === 'closed') for (const p of this.paced) this.pump(p, phase.inflight)
    else this.ticker = setInterval(() => this.tick(), 5)
  }

  /** Stops sending and waits (bounded) for outstanding acks; returns how many are still outstanding. */
  async halt(): Promise<number> {
    this.phase = null
    if (this.ticker) clearInterval(this.ticker)
    this.ticker = null
    const deadline = Date.now() + 10_000
    while (this.paced.some((p) => p.inflight > 0) && Date.now() < deadline) await sleep(20)
    return this.paced.reduce((n, p) => n + p.inflight, 0)
  }

  private send(p: Paced<S>): void {
    p.inflight++
    this.sendOne(p.sender, () => {
      p.inflight--
      if (this.phase?.mode === 'closed') this.pump(p, this.phase.inflight)
    })
  }

  private pump(p: Paced<S>, inflight: number): void {
    while (p.inflight < inflight) this.send(p)
  }

  private tick(): void {
    if (this.phase?.mode !== 'rate') return
    const elapsed = performance.now() - this.phaseStart
    for (const p of this.paced) {
      const due = Math.floor((elapsed * this.phase.perSenderRate) / 1000 + p.offset)
      while (p.due < due) {
        p.due++
        if (p.inflight >= this.phase.maxInflight) this.onSkip()
        else this.send(p)
      }
    }
  }
}
