// Network faults: client cores talk to the server through a loopback proxy
// that delays, silences and cuts connections and refuses new ones at random,
// while every client keeps sending. Once the network calms down, every
// client's cache holds every message of its conversations exactly once, in
// the server's order, with no gap, and every message it sent is there once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pageAll, PASSWORD, startClient, waitSynced, type TestClient } from '../helpers/client'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { startChaosProxy, type ChaosProxy } from './helpers/chaos-proxy'
import { allMessages } from './helpers/history'
import { random, scale, seed } from './helpers/soak'
import { until } from './helpers/until'

const CLIENTS = 3
const SENDS = scale('RELIABILITY_NET_SENDS', 40, 400)
/** Clients keep sending until at least this many faults were injected. */
const FAULTS = scale('RELIABILITY_NET_FAULTS', 20, 300)

let srv: TestServer
let proxy: ChaosProxy
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer()
  proxy = await startChaosProxy(srv.url)
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await proxy.close()
  await srv.destroy()
})

describe('network faults', () => {
  it(`${CLIENTS} client cores sending at least ${SENDS} messages each through a faulty network end with whole, identical histories`, { timeout: 120_000 + SENDS * 1_000 + FAULTS * 2_000 }, async () => {
    const rand = random(seed())
    const users: TestUser[] = await Promise.all(Array.from({ length: CLIENTS }, () => register(srv.url)))
    for (const user of users) {
      const client = await startClient()
      clients.push(client)
      const since = client.mark()
      await client.call('session.login', { serverUrl: proxy.url, username: user.user.username, password: PASSWORD })
      await waitSynced(client, since)
    }
    const [owner, second] = users as [TestUser, TestUser, ...TestUser[]]
    const group = await api(srv.url, 'POST', '/conversations', {
      token: owner.accessToken,
      body: { kind: 'group', title: 'faults', memberIds: users.map((u) => u.user.id) }
    })
    const direct = await api(srv.url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'direct', userId: second.user.id } })
    const conversations = { group: group.body.conversation.id as string, direct: direct.body.conversation.id as string }
    /** The conversations of client i. */
    const of = (i: number): string[] => (i < 2 ? [conversations.group, conversations.direct] : [conversations.group])
    await Promise.all(
      clients.map((c, i) =>
        until(c, async () => (await c.call('conversations.list')).length === of(i).length, `client ${i} has its conversations`)
      )
    )

    proxy.startChaos(rand)
    const sent: string[][] = clients.map(() => [])
    await Promise.all(
      clients.map(async (client, i) => {
        for (let n = 0; n < SENDS || proxy.injected() < FAULTS; n++) {
          const conversationId = of(i)[Math.floor(rand() * of(i).length)]!
          const text = `client ${i} message ${n}`
          await client.call('messages.send', { conversationId, text })
          sent[i]!.push(text)
          // Senders pause a little now and then, so faults land between sends as well as during them.
          if (rand() < 0.5) await new Promise((resolve) => setTimeout(resolve, rand() * 60))
        }
      })
    )
    proxy.calm()

    // Calm network: first every outbox drains (nobody sends after that, so the
    // server's last seqs are final), then every cache reaches them. One phase
    // would let a client that caught up early miss what the others sent later.
    const serverLast = async (conversationId: string): Promise<number> =>
      (await api(srv.url, 'GET', `/conversations/${conversationId}`, { token: owner.accessToken })).body.conversation.lastSeq as number
    await Promise.all(
      clients.map((client, i) => until(client, async () => (await client.call('connection.get')).queued === 0, `client ${i} has sent everything`, 120_000))
    )
    await Promise.all(
      clients.map((client, i) =>
        until(
          client,
          async () => {
            for (const id of of(i)) {
              const page = await client.call('messages.page', { conversationId: id, limit: 1 })
              if ((page.messages.at(-1)?.seq ?? 0) !== (await serverLast(id))) return false
            }
            return true
          },
          `client ${i} has caught up`,
          120_000
        )
      )
    )

    // Pull the cable, so the pages below come from the caches alone.
    proxy.block()
    await Promise.all(clients.map((c) => c.waitFor('connection', (s) => s.status !== 'online' && s.status !== 'connecting', 30_000, 0)))
    for (const [i, client] of clients.entries()) {
      for (const id of of(i)) {
        const truth = await allMessages(srv.url, owner.accessToken, id)
        // Read offline: the pages come from the cache alone.
        const mine = await pageAll(client, id)
        expect(mine.map((m) => m.seq), `client ${i}: seqs of ${id}`).toEqual(truth.map((_, k) => k + 1))
        expect(mine.map((m) => m.id), `client ${i}: messages of ${id}`).toEqual(truth.map((m) => m.id))
      }
      const texts = (await Promise.all(of(i).map((id) => allMessages(srv.url, owner.accessToken, id)))).flat().map((m) => m.text)
      for (const text of sent[i]!) expect(texts.filter((t) => t === text), text).toHaveLength(1)
    }
    proxy.restore()
    const f = proxy.faults
    process.stdout.write(
      `network faults: ${sent.flat().length} messages sent; ${f.cut} cuts, ${f.blackholed} silences then cuts, ${f.delayed} delayed connections, ${f.refused} refusal windows, over ${f.connections} connections; 0 lost, 0 duplicated\n`
    )
    expect(proxy.injected()).toBeGreaterThanOrEqual(FAULTS)
  })
})
