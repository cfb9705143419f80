import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { connect, emitAck } from '../helpers/socket'

let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'messenger-durability-'))
})
afterAll(async () => {
  killChildServers()
  await rm(dataDir, { recursive: true, force: true })
})

async function allMessages(url: string, user: TestUser, conversationId: string): Promise<Message[]> {
  const out: Message[] = []
  let after = 0
  for (;;) {
    // Sessions and the signing key live in the data directory: tokens outlast a restart.
    const page = await api(url, 'GET', `/conversations/${conversationId}/messages?after=${after}&limit=200`, { token: user.accessToken })
    out.push(...(page.body.messages as Message[]))
    after = out.at(-1)?.seq ?? after
    if (!page.body.hasMore) return out
  }
}

describe('durability', () => {
  it('every acknowledged message survives SIGKILL mid-stream, exactly once', { timeout: 120_000 }, async () => {
    let server = await startChildServer(dataDir)
    const users = await Promise.all([1, 2, 3].map(() => register(server.url)))
    const [owner] = users as [TestUser, ...TestUser[]]
    const group = await api(server.url, 'POST', '/conversations', {
      token: owner.accessToken,
      body: { kind: 'group', title: 'durable', memberIds: users.map((u) => u.user.id) }
    })
    const conversationId = group.body.conversation.id as string
    const acked = new Map<string, number>()
    /** clientId → index of the user who sent it. */
    const attempted = new Map<string, number>()

    for (let cycle = 0; cycle < 3; cycle++) {
      const sockets = await Promise.all(users.map((u) => connect(server.url, u.accessToken)))
      let stop = false
      // Each client keeps 4 sends in flight until the server dies under it.
      const streams = sockets.flatMap((socket, sender) =>
        Array.from({ length: 4 }, async () => {
          while (!stop) {
            const clientId = randomUUID()
            attempted.set(clientId, sender)
            try {
              const ack = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId, clientId, text: `c${cycle}` })
              if (ack.ok) acked.set(clientId, ack.data.message.seq)
            } catch {
              return // the server is gone: the ack never came
            }
          }
        })
      )
      const before = acked.size
      while (acked.size < before + 150 + Math.floor(Math.random() * 150)) await new Promise((r) => setTimeout(r, 5))
      server.child.kill('SIGKILL')
      await server.exited
      stop = true
      for (const s of sockets) s.close()
      await Promise.allSettled(streams)

      server = await startChildServer(dataDir)
      const history = await allMessages(server.url, owner, conversationId)
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1))
      const stored = history.filter((m) => m.kind === 'text')
      const byClientId = new Map<string, number>()
      for (const m of stored) byClientId.set(m.clientId, (byClientId.get(m.clientId) ?? 0) + 1)
      for (const [clientId, seq] of acked) {
        expect(byClientId.get(clientId)).toBe(1)
        expect(history[seq - 1]?.clientId).toBe(clientId)
      }
      // Only messages somebody tried to send are there, each at most once.
      for (const [clientId, count] of byClientId) {
        expect(attempted.has(clientId)).toBe(true)
        expect(count).toBe(1)
      }
    }
    // Senders retry what was never acked, with the same clientIds (as the outbox does):
    // what the server had stored anyway is answered 200 and not stored again.
    const statuses = new Set<number>()
    for (const [clientId, sender] of attempted) {
      if (acked.has(clientId)) continue
      const res = await api(server.url, 'POST', `/conversations/${conversationId}/messages`, {
        token: users[sender]!.accessToken,
        body: { clientId, text: 'retry' }
      })
      statuses.add(res.status)
    }
    expect([...statuses].every((s) => s === 200 || s === 201)).toBe(true)
    const final = (await allMessages(server.url, owner, conversationId)).filter((m) => m.kind === 'text')
    expect(new Set(final.map((m) => m.clientId)).size).toBe(final.length)
    expect(final.length).toBe(attempted.size)

    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  })
})
