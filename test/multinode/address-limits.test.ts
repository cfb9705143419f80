// The per-address ceilings hold across nodes: join-code failures from one
// address spread over two nodes (through any number of accounts) are counted
// together, so the ceiling is 100, not 100 per node; each account's own 10
// are counted together too.
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../helpers/cluster'
import { api, register, type ApiResponse } from '../helpers/http'
import { clusterSuite } from './suite'

/** The CLI's defaults: failures per user, and per address across users, in 15 minutes. */
const PER_USER = 10
const PER_ADDRESS = 100

let cluster: Cluster

clusterSuite({ nodes: 2 }, (c) => (cluster = c))

describe('per-address ceilings across nodes', () => {
  it('join-code failures of ten users through both nodes reach the address ceiling; then a valid code is refused on either node', async () => {
    const owner = await register(cluster.balancer.url)
    const group = await api(cluster.node(0).url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'g', memberIds: [] } })
    const code = await api(cluster.node(0).url, 'POST', `/conversations/${group.body.conversation.id as string}/join-code`, { token: owner.accessToken, body: {} })
    expect(code.status).toBe(201)
    const users = await Promise.all(Array.from({ length: PER_ADDRESS / PER_USER + 1 }, () => register(cluster.balancer.url)))
    const join = (node: number, token: string, joinCode: string): Promise<ApiResponse> =>
      api(cluster.node(node).url, 'POST', '/join', { token, body: { code: joinCode } })
    let n = 0
    for (const user of users.slice(0, -1)) {
      for (let i = 0; i < PER_USER; i++) expect((await join(n++ % 2, user.accessToken, 'ZZZZZZZZZZ')).status).toBe(404)
    }
    const newcomer = users.at(-1)!
    for (const node of [0, 1]) {
      const refused = await join(node, newcomer.accessToken, code.body.joinCode.code as string)
      expect(refused.status).toBe(429)
      expect(refused.body.error.message).toMatch(/from this address/)
    }
  })
})
