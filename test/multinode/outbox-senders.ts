// Client cores that keep writing into their outboxes, and what the fault
// tests check at the end: each message written was delivered once, and every
// core's cache equals the server's history.
import { expect } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { PASSWORD, pageAll, startClient, waitSynced, type TestClient } from '../helpers/client'
import { until } from '../reliability/helpers/until'
import { historyProblems } from '../reliability/helpers/history'

/** Messages a core writes ahead of the ones delivered: its outbox holds up to this many. */
const WINDOW = 3
/** A written message not delivered this long after it was written (a fault and recovery included) is lost. */
const DELIVERY_LIMIT_MS = 120_000

/**
 * Client cores signed in as `users` through `serverUrl` (the balancer: they know
 * the organisation by that address only), each synced and holding the group;
 * pushed to `cores` as they start, so the caller's clean-up finds them all.
 */
export async function coresInGroup(serverUrl: string, usernames: string[], conversationId: string, cores: TestClient[]): Promise<void> {
  for (const username of usernames) {
    const client = await startClient()
    cores.push(client)
    const since = client.mark()
    await client.call('session.login', { serverUrl, username, password: PASSWORD })
    await waitSynced(client, since, 60_000)
    await until(client, async () => (await client.call('conversations.list')).some((c) => c.id === conversationId), 'a core has the group')
  }
}

export interface Written {
  core: number
  conversationId: string
  text: string
}

/** clientIds the core's outbox let go of (delivered, or failed: see failedInOutbox). */
export function removedFromOutbox(client: TestClient): Set<string> {
  return new Set(client.payloads('outbox').flatMap((p) => p.removed))
}

/** Messages an outbox marked failed (the server refused them for good): none should be. */
export function failedInOutbox(cores: TestClient[]): string[] {
  return cores.flatMap((c, i) =>
    c
      .payloads('outbox')
      .flatMap((p) => p.upserted)
      .filter((e) => e.state === 'failed')
      .map((e) => `core ${i}: ${e.clientId} failed: ${JSON.stringify(e.error)}`)
  )
}

/**
 * Cores writing into one conversation until stopped, each keeping up to
 * WINDOW messages in its outbox; `written` maps every clientId to what it is.
 */
export class OutboxSenders {
  readonly written = new Map<string, Written>()
  private stopped = false
  private readonly loops: Promise<void>[]

  constructor(
    private readonly cores: TestClient[],
    private readonly conversationId: string
  ) {
    this.loops = cores.map((_, i) => this.loop(i))
    // A loop that fails is reported by stop(); until then it must not be an unhandled rejection.
    for (const loop of this.loops) loop.catch(() => undefined)
  }

  /** Messages delivered (gone from the outboxes) so far, over all cores. */
  delivered(): number {
    return this.cores.reduce((sum, c) => sum + removedFromOutbox(c).size, 0)
  }

  /** Resolves once `n` more messages were delivered, over all cores. */
  async deliver(n: number, what: string): Promise<void> {
    const target = this.delivered() + n
    let unsubscribe = (): void => undefined
    const reached = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting until ${what} (${this.delivered()} of ${target})`)), DELIVERY_LIMIT_MS)
      const check = (): void => {
        if (this.delivered() < target) return
        clearTimeout(timer)
        resolve()
      }
      const offs = this.cores.map((c) => c.core.subscribe(check))
      unsubscribe = () => {
        clearTimeout(timer)
        for (const off of offs) off()
      }
      check()
    })
    try {
      await Promise.race([reached, Promise.all(this.loops).then(() => Promise.reject(new Error(`${what}: the senders stopped`)))])
    } finally {
      unsubscribe()
    }
  }

  /** Stops writing; resolves once every outbox is empty (rejects with a loop's failure). */
  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.loops)
    await Promise.all(
      this.cores.map((c, i) => until(c, async () => (await c.call('connection.get')).queued === 0, `core ${i} has sent everything`, DELIVERY_LIMIT_MS))
    )
  }

  /** Core i writes one message more (outside its loop); its clientId. */
  async write(i: number, text: string): Promise<string> {
    const entry = await this.cores[i]!.call('messages.send', { conversationId: this.conversationId, text })
    this.written.set(entry.clientId, { core: i, conversationId: this.conversationId, text })
    return entry.clientId
  }

  private async loop(i: number): Promise<void> {
    const client = this.cores[i]!
    const mine: string[] = []
    for (let n = 0; !this.stopped; n++) {
      mine.push(await this.write(i, `core ${i} #${n}`))
      const older = mine[mine.length - WINDOW]
      if (older) await until(client, () => Promise.resolve(removedFromOutbox(client).has(older)), `core ${i} delivered ${older}`, DELIVERY_LIMIT_MS)
    }
  }
}

/**
 * Every message written was delivered once: the history runs 1..n with no
 * clientId twice, holds each written message once with its text, and nothing
 * nobody wrote (`also`: clientIds sent another way).
 */
export function expectDeliveredOnce(history: Message[], written: Map<string, Written>, also: Set<string> = new Set()): void {
  expect(historyProblems(history)).toEqual([])
  const stored = new Map<string, Message[]>()
  for (const m of history) if (m.kind === 'text') stored.set(m.clientId, [...(stored.get(m.clientId) ?? []), m])
  const wrong: string[] = []
  for (const [clientId, w] of written) {
    const found = stored.get(clientId) ?? []
    if (found.length !== 1 || found[0]!.text !== w.text) wrong.push(`core ${w.core}'s ${clientId} (${w.text}) stored ${found.length} times`)
  }
  for (const clientId of stored.keys()) if (!written.has(clientId) && !also.has(clientId)) wrong.push(`stored ${clientId}, which nobody sent`)
  expect(wrong).toEqual([])
}

/** Each outbox sent in the order it was written: its messages' seqs rise in the order the outbox took them. */
export function expectSentInOrder(cores: TestClient[], history: Message[]): void {
  const seqOf = new Map(history.map((m) => [m.clientId, m.seq]))
  const wrong = cores.flatMap((c, i) => {
    const order = [...new Set(c.payloads('outbox').flatMap((p) => p.upserted.map((e) => e.clientId)))]
    const seqs = order.map((id) => seqOf.get(id) ?? 0)
    return seqs.flatMap((seq, k) => (k > 0 && seq <= seqs[k - 1]! ? [`core ${i}: ${order[k]} (seq ${seq}) after seq ${seqs[k - 1]}`] : []))
  })
  expect(wrong).toEqual([])
}

/** Each core's cache of the conversation ends equal to the server's history (nothing missed, nothing twice). */
export async function expectCachesEqual(cores: TestClient[], conversationId: string, history: Message[]): Promise<void> {
  const lastSeq = history.at(-1)?.seq
  for (const [i, client] of cores.entries()) {
    await until(
      client,
      async () => (await client.call('messages.page', { conversationId, limit: 1 })).messages.at(-1)?.seq === lastSeq,
      `core ${i} caught up with the history (seq ${lastSeq})`,
      60_000
    )
    const mine = await pageAll(client, conversationId)
    expect(mine.map((m) => m.id), `core ${i}: its cache`).toEqual(history.map((m) => m.id))
  }
}
