// Rate limits across nodes: a client that spreads its guesses over the nodes
// gets no more tries than against one server (sign-in failures, join-code
// failures, a session's typing starts); and with Redis gone the limits fall
// back to each node's memory: still limited, per node, never a 5xx.
import { describe, expect, it } from 'vitest'
import { CHANGES_PER_WINDOW } from '../../server/realtime/presence-hub'
import { DEFAULT_CONTACT_LIMITS } from '../../server/services/contacts.service'
import type { Cluster } from '../helpers/cluster'
import { api, register, type ApiResponse } from '../helpers/http'
import { emitAck } from '../helpers/socket'
import { nodeUser } from './senders'
import { clusterSuite } from './suite'

const INVITATIONS_PER_HOUR = DEFAULT_CONTACT_LIMITS.invitationsPerHour

/** The CLI's sign-in (and join-code) failure limit per address and window. */
const LOGIN_LIMIT = 10

let cluster: Cluster

const pool = clusterSuite({ nodes: 2 }, (c) => (cluster = c))

const wrongSignIn = (node: number, username: string): Promise<ApiResponse> =>
  api(cluster.node(node).url, 'POST', '/auth/login', { body: { username, password: 'not the password' } })

async function statuses(count: number, attempt: () => Promise<ApiResponse>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push((await attempt()).status)
  return out
}

describe('limits across nodes', () => {
  it('sign-in failures count on every node: 6 through one and 6 through another make the last ones 429', async () => {
    const user = await register(cluster.balancer.url)
    const name = user.user.username
    expect(await statuses(6, () => wrongSignIn(0, name))).toEqual(Array(6).fill(401))
    expect(await statuses(6, () => wrongSignIn(1, name))).toEqual([401, 401, 401, 401, 429, 429])
    const limited = await api(cluster.node(0).url, 'POST', '/auth/login', { body: { username: name, password: user.password } })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(limited.headers.get('ratelimit-policy')).toMatch(new RegExp(`q=${LOGIN_LIMIT}`))
  })

  it('join-code failures count on every node', async () => {
    const user = await register(cluster.balancer.url)
    const guess = (node: number): Promise<ApiResponse> =>
      api(cluster.node(node).url, 'POST', '/join', { token: user.accessToken, body: { code: 'ZZZZZZZZ' } })
    const first = await statuses(LOGIN_LIMIT / 2, () => guess(0))
    expect(first.every((s) => s >= 400 && s < 500 && s !== 429)).toBe(true)
    const second = await statuses(LOGIN_LIMIT / 2 + 1, () => guess(1))
    expect(second.slice(0, -1).every((s) => s !== 429)).toBe(true)
    expect(second.at(-1)).toBe(429)
  })

  it("a session's typing starts are counted on every node it reaches", async () => {
    const [alice, bob] = await Promise.all([nodeUser(cluster), nodeUser(cluster)])
    const res = await api(cluster.node(0).url, 'POST', '/conversations', { token: alice.tokens[0], body: { kind: 'direct', userId: bob.user.user.id } })
    const conversationId = res.body.conversation.id as string
    // One session (the token node 0 gave) reaching both nodes, as a device that reconnects elsewhere.
    const token = alice.tokens[0]!
    const sockets = [await pool.connect(cluster.node(0).url, token), await pool.connect(cluster.node(1).url, token)]
    const startStop = async (i: number): Promise<boolean> => {
      const started = await emitAck(sockets[i % 2]!, 'typing:start', { conversationId })
      if (!started.ok) {
        expect(started.error.code).toBe('rate_limited')
        return false
      }
      expect((await emitAck(sockets[i % 2]!, 'typing:stop', { conversationId })).ok).toBe(true)
      return true
    }
    const allowed: boolean[] = []
    for (let i = 0; i <= CHANGES_PER_WINDOW; i++) allowed.push(await startStop(i))
    expect(allowed).toEqual([...Array<boolean>(CHANGES_PER_WINDOW).fill(true), false])
  })

  it('the hourly invitation limit counts on every node: inviting and cancelling through both, the 31st is refused', async () => {
    const [sender, target] = await Promise.all([register(cluster.balancer.url), register(cluster.balancer.url)])
    const invite = (node: number): Promise<ApiResponse> =>
      api(cluster.node(node).url, 'POST', '/invitations', { token: sender.accessToken, body: { userId: target.user.id } })
    for (let i = 0; i < INVITATIONS_PER_HOUR; i++) {
      const sent = await invite(i % 2)
      expect(sent.status, `invitation ${i + 1}`).toBe(201)
      const cancelled = await api(cluster.node((i + 1) % 2).url, 'DELETE', `/invitations/${sent.body.invitation.id as string}`, { token: sender.accessToken })
      expect(cancelled.status).toBeLessThan(300)
    }
    for (const node of [0, 1]) {
      const refused = await invite(node)
      expect(refused.status).toBe(429)
      expect(refused.body.error.code).toBe('rate_limited')
      expect(refused.body.error.message).toMatch(/too many invitations/)
    }
  })

  it('with Redis gone, each node limits on its own, in memory, and never answers 5xx', async () => {
    const user = await register(cluster.balancer.url)
    const name = user.user.username
    await cluster.redis.kill()
    expect(await statuses(LOGIN_LIMIT + 1, () => wrongSignIn(0, name))).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429])
    // The other node has its own count meanwhile.
    expect(await statuses(LOGIN_LIMIT + 1, () => wrongSignIn(1, name))).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429])
  })
})
