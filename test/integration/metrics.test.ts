// GET /metrics as Prometheus scrapes it: a real server, real sockets sending
// messages, a real upload and download; the exposition is parsed and the
// counters must have moved by exactly what the test did.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMessengerServer } from '../../server'
import type { Message } from '../../src/shared/schemas/messages'
import { bytesOf, createUpload, download, sendBytes } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { parsePrometheus, type Scrape } from '../helpers/prometheus'
import { startServer, type TestServer } from '../helpers/server'
import { collect, connect, emitAck } from '../helpers/socket'

const TOKEN = 'metrics-test-token-0123456789abcdef'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let direct = ''

async function scrape(server: TestServer = srv, token = TOKEN): Promise<Scrape> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
  return parsePrometheus(await res.text())
}

beforeAll(async () => {
  srv = await startServer({ metricsToken: TOKEN })
  ;[alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
  const res = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
  direct = res.body.conversation.id as string
})
afterAll(() => srv.destroy())

describe('metrics', () => {
  it('count sockets, accepted messages, deliveries and the ack and durable-write latencies of what was sent', async () => {
    const sender = await connect(srv.url, alice.accessToken)
    const laptop = await connect(srv.url, bob.accessToken)
    const phone = await connect(srv.url, bob.accessToken)
    try {
      const before = await scrape()
      expect(before.sum('messenger_sockets_connected')).toBe(3)
      const onLaptop = collect(laptop, 'message:new', 4)
      const onPhone = collect(phone, 'message:new', 4)
      const clientIds = [randomUUID(), randomUUID(), randomUUID()]
      for (const clientId of clientIds) {
        expect((await emitAck<{ message: Message }>(sender, 'message:send', { conversationId: direct, clientId, text: 'hello' })).ok).toBe(true)
      }
      // A retry finds its message: acked and announced again, not accepted again.
      expect((await emitAck(sender, 'message:send', { conversationId: direct, clientId: clientIds[0], text: 'hello' })).ok).toBe(true)
      await Promise.all([onLaptop, onPhone])
      const after = await scrape()
      const moved = (name: string): number => after.sum(name) - before.sum(name)

      expect(moved('messenger_messages_accepted_total')).toBe(3)
      // Four announcements to bob's two sockets; the sender's own socket has the ack instead.
      expect(moved('messenger_message_deliveries_total')).toBe(8)
      expect(moved('messenger_message_ack_seconds_count')).toBe(4)
      expect(after.sum('messenger_message_ack_seconds_bucket', { le: '+Inf' })).toBe(after.sum('messenger_message_ack_seconds_count'))
      expect(moved('messenger_message_ack_seconds_sum')).toBeGreaterThan(0)
      // Each send waited for its own write: one fsync (or commit) at least each.
      const durable = srv.databaseUrl ? 'messenger_message_commit_seconds' : 'messenger_message_fsync_seconds'
      expect(moved(`${durable}_count`)).toBeGreaterThanOrEqual(3)
      expect(after.types.get(durable)).toBe('histogram')
      expect(after.has(srv.databaseUrl ? 'messenger_message_fsync_seconds_count' : 'messenger_message_commit_seconds_count')).toBe(false)
      for (const counter of ['messenger_messages_accepted_total', 'messenger_message_deliveries_total']) {
        expect(after.types.get(counter)).toBe('counter')
      }
    } finally {
      for (const socket of [sender, laptop, phone]) socket.close()
    }
    // The server hears the closes a moment later.
    await expect.poll(async () => (await scrape()).sum('messenger_sockets_connected'), { timeout: 10_000 }).toBe(0)
  })

  it('count REST sends and system messages, delivered to every socket of the conversation', async () => {
    const carol = await register(srv.url)
    const [aliceSocket, bobSocket, carolSocket] = await Promise.all([alice, bob, carol].map((u) => connect(srv.url, u.accessToken)))
    try {
      const admitted = [collect(aliceSocket!, 'conversation:new', 1), collect(bobSocket!, 'conversation:new', 1)]
      const created = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Metrics', memberIds: [bob.user.id] } })
      const group = created.body.conversation.id as string
      await Promise.all(admitted)
      const before = await scrape()
      // Bob's REST send reaches both members' sockets (his own too: it has no ack); adding carol
      // announces a system message to all three.
      const heard = [collect(aliceSocket!, 'message:new', 2), collect(bobSocket!, 'message:new', 2), collect(carolSocket!, 'message:new', 1)]
      const sent = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'over REST' } })
      expect(sent.status).toBe(201)
      expect((await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [carol.user.id] } })).status).toBe(200)
      await Promise.all(heard)
      const after = await scrape()
      expect(after.sum('messenger_message_deliveries_total') - before.sum('messenger_message_deliveries_total')).toBe(5)
      // A system message is not a message someone sent.
      expect(after.sum('messenger_messages_accepted_total') - before.sum('messenger_messages_accepted_total')).toBe(1)
    } finally {
      for (const socket of [aliceSocket, bobSocket, carolSocket]) socket?.close()
    }
  })

  it('count the bytes of a real upload and download', async () => {
    const bytes = bytesOf(300_000)
    const before = await scrape()
    const created = await createUpload(srv.url, alice, { conversationId: direct, name: 'data.bin', size: bytes.length })
    expect(created.status).toBe(201)
    const id = created.body.upload.id as string
    expect((await sendBytes(srv.url, alice, id, 0, bytes.subarray(0, 100_000))).status).toBe(200)
    expect((await sendBytes(srv.url, alice, id, 100_000, bytes.subarray(100_000))).status).toBe(200)
    const got = await download(srv.url, alice, id)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(bytes)).toBe(true)
    const ranged = await download(srv.url, alice, id, { range: 'bytes=0-999' })
    expect(ranged.status).toBe(206)
    const after = await scrape()
    expect(after.sum('messenger_upload_bytes_total') - before.sum('messenger_upload_bytes_total')).toBe(300_000)
    expect(after.sum('messenger_download_bytes_total') - before.sum('messenger_download_bytes_total')).toBe(301_000)
  })

  it('time HTTP requests by route pattern, never by their ids, failures and unknown paths included', async () => {
    const missing = randomUUID()
    expect((await api(srv.url, 'GET', `/conversations/${direct}`, { token: alice.accessToken })).status).toBe(200)
    expect((await api(srv.url, 'GET', `/conversations/${missing}`, { token: alice.accessToken })).status).toBe(404)
    expect((await api(srv.url, 'GET', `/no-such-route/${missing}`, { checkContract: false })).status).toBe(404)
    const after = await scrape()
    const count = (labels: Record<string, string>): number => after.sum('messenger_http_request_duration_seconds_count', labels)
    expect(count({ method: 'GET', route: '/api/v1/conversations/:id', status_code: '200' })).toBeGreaterThanOrEqual(1)
    // A route whose handler failed keeps its pattern (its router is left before the response ends).
    expect(count({ method: 'GET', route: '/api/v1/conversations/:id', status_code: '404' })).toBe(1)
    expect(count({ method: 'POST', route: '/api/v1/conversations', status_code: '201' })).toBeGreaterThanOrEqual(1)
    expect(count({ method: 'PATCH', route: '/api/v1/uploads/:id', status_code: '200' })).toBe(2)
    expect(count({ method: 'GET', route: '/api/v1/files/:id', status_code: '206' })).toBe(1)
    expect(count({ route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1)
    const routes = new Set(after.samples.filter((s) => s.name.startsWith('messenger_http_request_duration_seconds')).map((s) => s.labels['route']))
    expect([...routes].filter((route) => route === undefined || /[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toEqual([])
    expect(after.sum('messenger_http_request_duration_seconds_bucket', { route: '/api/v1/conversations/:id', status_code: '404', le: '+Inf' })).toBe(1)
  })

  it('count the calls running', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => connect(srv.url, u.accessToken)))
    try {
      expect((await scrape()).sum('messenger_calls_running')).toBe(0)
      const peerId = randomUUID()
      const started = await emitAck<{ call: { id: string } }>(a, 'call:start', { conversationId: direct, media: 'audio', peerId })
      if (!started.ok) throw new Error(JSON.stringify(started.error))
      const running = await scrape()
      expect(running.types.get('messenger_calls_running')).toBe('gauge')
      expect(running.sum('messenger_calls_running')).toBe(1)
      expect((await emitAck(a, 'call:leave', { callId: started.data.call.id, peerId })).ok).toBe(true)
      expect((await scrape()).sum('messenger_calls_running')).toBe(0)
    } finally {
      a.close()
      b.close()
    }
  })

  it("report Node's event-loop lag and the process's memory", async () => {
    const metrics = await scrape()
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(metrics.has(name), name).toBe(true)
    }
    expect(metrics.sum('process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('answer 401 without the metrics token: none, a wrong one, or an access token', async () => {
    const attempts: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: 'Bearer not-the-metrics-token-at-all' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${alice.accessToken}` },
      { authorization: TOKEN }
    ]
    for (const headers of attempts) {
      const res = await fetch(`${srv.url}/metrics`, headers ? { headers } : {})
      expect(res.status, JSON.stringify(headers)).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="unauthorized"')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
    // The scheme's case does not matter (RFC 7235).
    expect((await fetch(`${srv.url}/metrics`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200)
  })

  it('are off without a token (404), and each server counts its own', async () => {
    const off = await startServer()
    const other = await startServer({ metricsToken: 'another-servers-token-0123' })
    try {
      const res = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
      // Another server of this process: its own registry, its own numbers.
      expect((await scrape(other, 'another-servers-token-0123')).sum('messenger_messages_accepted_total')).toBe(0)
      expect((await scrape()).sum('messenger_messages_accepted_total')).toBeGreaterThanOrEqual(3)
    } finally {
      await Promise.all([off.destroy(), other.destroy()])
    }
  })

  it('refuse a token shorter than 16 characters or with spaces', async () => {
    for (const metricsToken of ['short', 'sixteen chars ok']) {
      // Refused before the data directory is touched.
      const server = createMessengerServer({ dataDir: '/nonexistent/metrics-test', port: 0, metricsToken })
      await expect(server.listen()).rejects.toThrow(/at least 16 characters, without spaces/)
    }
  })
})
