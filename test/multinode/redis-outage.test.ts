// Redis is a hint: killed in the middle of a burst, every message the sender
// on node 1 had acknowledged is, in the end, in the cache of every receiver
// (real client cores on nodes 2 and 0), in order, once. Between the nodes the
// events were lost; the receivers learn of them because their nodes tell them
// to catch up from the database (sync:stale): every few seconds while Redis
// is away, and once more when it is back. A receiver that missed one event
// while nothing else happened learns of it too, with no further message.
// How long each took is printed (docs/scaling.md quotes it).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers } from '../helpers/child-server'
import { pageAll, signUp, startClient, type TestClient } from '../helpers/client'
import { startCluster, type Cluster } from '../helpers/cluster'
import { api, register, type TestUser } from '../helpers/http'
import { killPrivateRedis } from '../helpers/redis'
import { connect, type ClientSocket } from '../helpers/socket'
import { acked, send } from './senders'

/** Long enough for the nodes' 10 s reminder while Redis is away, the clients' jitter and a catch-up, with room to spare. */
const LEARN_LIMIT_MS = 60_000

let cluster: Cluster
let sender: TestUser
let senderSocket: ClientSocket
/** Client cores: on node 2 and on node 0. */
let receivers: TestClient[]
let conversationId: string
/** When each receiver first held each message id. */
const seenAt: Map<string, number>[] = []

// A cluster per test: the catch-ups that follow one outage must not make the next one's figures.
beforeEach(async () => {
  cluster = await startCluster({ nodes: 3 })
  receivers = await Promise.all([startClient(), startClient()])
  const [onNode2, onNode0] = await Promise.all([signUp(receivers[0]!, cluster.node(2).url), signUp(receivers[1]!, cluster.node(0).url)])
  sender = await register(cluster.node(1).url)
  senderSocket = await connect(cluster.node(1).url, sender.accessToken)
  const res = await api(cluster.node(1).url, 'POST', '/conversations', {
    token: sender.accessToken,
    body: { kind: 'group', title: 'Through an outage', memberIds: [onNode2.me.id, onNode0.me.id] }
  })
  expect(res.status).toBe(201)
  conversationId = res.body.conversation.id as string
  seenAt.length = 0
  for (const [i, receiver] of receivers.entries()) {
    const seen = new Map<string, number>()
    seenAt[i] = seen
    receiver.core.subscribe((batch) => {
      for (const event of batch) {
        if (event.type !== 'messages') continue
        for (const m of event.payload.upserted) if (!seen.has(m.id)) seen.set(m.id, Date.now())
      }
    })
    await receiver.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))
  }
  // Heard live by both: the catch-up each began on hearing of the group is over, so it cannot bring what the test sends next.
  const warmUp = await say('warm-up')
  await Promise.all(receivers.map((r) => holds(r, [warmUp.message])))
})
afterEach(async () => {
  senderSocket?.close()
  await Promise.all((receivers ?? []).map((r) => r.destroy()))
  await cluster?.destroy()
})
afterAll(() => {
  killChildServers()
  killPrivateRedis()
})

const say = async (text: string): Promise<{ message: Message; at: number }> => {
  const message = acked(await send(senderSocket, { conversationId, clientId: randomUUID(), text }), text)
  return { message, at: Date.now() }
}

/** Resolves once the receiver's cache holds every one of `messages` (as it would show them: paged from its cache). */
async function holds(receiver: TestClient, messages: Message[], limitMs = LEARN_LIMIT_MS): Promise<void> {
  const wanted = new Set(messages.map((m) => m.id))
  const deadline = Date.now() + limitMs
  for (;;) {
    const cached = await pageAll(receiver, conversationId)
    if (cached.filter((m) => wanted.has(m.id)).length === wanted.size) return
    if (Date.now() > deadline) throw new Error(`after ${limitMs} ms the receiver holds ${cached.filter((m) => wanted.has(m.id)).length} of ${wanted.size} messages`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The receiver's cache is the server's history: in order, no gap, nothing twice. */
async function sameAsServer(receiver: TestClient): Promise<void> {
  const cached = await pageAll(receiver, conversationId)
  const server = await api(cluster.node(1).url, 'GET', `/conversations/${conversationId}/messages?after=0&limit=200`, { token: sender.accessToken })
  expect(cached.map((m) => m.seq)).toEqual((server.body.messages as Message[]).map((m) => m.seq))
  expect(cached.map((m) => m.id)).toEqual((server.body.messages as Message[]).map((m) => m.id))
}

const ms = (n: number): string => `${(n / 1000).toFixed(1)} s`
const spread = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b)
  return `median ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${ms(sorted[sorted.length - 1] ?? 0)}`
}

describe('a Redis outage', () => {
  it('killed mid-burst and started again: every acknowledged message reaches every receiver, in order, once', async () => {
    const before: { message: Message; at: number }[] = []
    const during: { message: Message; at: number }[] = []
    for (let i = 0; i < 20; i++) before.push(await say(`before ${i}`))
    await cluster.redis.kill()
    const killedAt = Date.now()
    for (let i = 0; i < 20; i++) {
      during.push(await say(`during ${i}`))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // Back before the nodes' first reminder: what was missed is learned through the recovery.
    await cluster.redis.start()
    const startedAt = Date.now()
    const after: { message: Message; at: number }[] = []
    for (let i = 0; i < 20; i++) after.push(await say(`after ${i}`))
    const all = [...before, ...during, ...after]
    await Promise.all(receivers.map((r) => holds(r, all.map((s) => s.message))))
    for (const receiver of receivers) await sameAsServer(receiver)

    const lastHeld = (i: number): number => Math.max(...all.map((s) => seenAt[i]!.get(s.message.id)!))
    process.stdout.write(
      `redis outage mid-burst (${ms(startedAt - killedAt)} down): every receiver held all ${all.length} messages ` +
        `${receivers.map((_, i) => ms(lastHeld(i) - startedAt)).join(' / ')} after Redis was started again; ` +
        `sent while down, held after (${spread(during.flatMap((s) => seenAt.map((seen) => seen.get(s.message.id)! - s.at)))})\n`
    )
  })

  it('a receiver who missed an event while nothing else happens learns of it while Redis stays away', async () => {
    await cluster.redis.kill()
    const lone = await say('the only one while Redis is away')
    const renamed = await api(cluster.node(1).url, 'PATCH', `/conversations/${conversationId}`, {
      token: sender.accessToken,
      body: { title: 'Renamed while Redis is away' }
    })
    expect(renamed.status).toBe(200)
    await Promise.all(receivers.map((r) => holds(r, [lone.message])))
    for (const receiver of receivers) {
      await receiver.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.title === 'Renamed while Redis is away'))
    }
    process.stdout.write(
      `redis away (not started again): a lone message was held by the receivers ` +
        `${seenAt.map((seen) => ms(seen.get(lone.message.id)! - lone.at)).join(' / ')} after it was sent\n`
    )
  })

  it('a receiver who missed an event learns of it when Redis is back, with no further message', async () => {
    await cluster.redis.kill()
    const lone = await say('missed, then Redis is back')
    await cluster.redis.start()
    const startedAt = Date.now()
    await Promise.all(receivers.map((r) => holds(r, [lone.message])))
    process.stdout.write(
      `redis back: a message sent while it was away was held by the receivers ` +
        `${seenAt.map((seen) => ms(seen.get(lone.message.id)! - startedAt)).join(' / ')} after Redis was started\n`
    )
  })
})
