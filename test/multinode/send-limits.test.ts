// The send limits across nodes: a user whose messages alternate between two
// nodes (as a phone and a laptop behind the balancer might) spends one
// budget, counted in Redis, not one per node.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { scaledSendLimits } from '../../server/services/send-limits'
import type { Cluster } from '../helpers/cluster'
import { api } from '../helpers/http'
import { emitAck } from '../helpers/socket'
import { nodeUser } from './senders'
import { clusterSuite } from './suite'

/** The default budgets scaled down, so a few messages reach them. */
const FACTOR = 0.1
const { rate, burst } = scaledSendLimits(FACTOR).messages

let cluster: Cluster

const pool = clusterSuite({ nodes: 2, args: ['--send-limits', String(FACTOR)] }, (c) => (cluster = c))

describe('send limits across nodes', () => {
  it('a user alternating between two nodes cannot exceed the one budget', async () => {
    const [alice, bob] = await Promise.all([nodeUser(cluster), nodeUser(cluster)])
    const res = await api(cluster.node(0).url, 'POST', '/conversations', { token: alice.tokens[0], body: { kind: 'direct', userId: bob.user.user.id } })
    const conversationId = res.body.conversation.id as string
    const sockets = [await pool.connect(cluster.node(0).url, alice.tokens[0]!), await pool.connect(cluster.node(1).url, alice.tokens[1]!)]
    const budget = rate.points + burst.points
    const started = Date.now()
    let accepted = 0
    for (let i = 0; i < 3 * budget; i++) {
      const ack = await emitAck(sockets[i % 2]!, 'message:send', { conversationId, clientId: randomUUID(), text: `m${i}` })
      if (ack.ok) accepted++
      else expect(ack.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    }
    // Each rate window that began meanwhile adds its points; counted per node, it would be twice the budget.
    const windows = Math.floor((Date.now() - started) / rate.durationMs)
    expect(accepted).toBeGreaterThanOrEqual(budget)
    expect(accepted).toBeLessThanOrEqual(budget + windows * rate.points)
    const history = await api(cluster.node(1).url, 'GET', `/conversations/${conversationId}/messages?limit=100`, { token: bob.tokens[1] })
    expect(history.body.messages.filter((m: { senderId: string }) => m.senderId === alice.user.user.id)).toHaveLength(accepted)
  })
})
