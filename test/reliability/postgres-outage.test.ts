// PostgreSQL lost while clients send: a real server CLI (child process) on a
// private PostgreSQL instance, with client cores sending through their
// outboxes and raw sockets recording every ack. After a random number of
// acks, with sends in flight, PostgreSQL is stopped at once (`pg_ctl stop -m
// immediate`, what `pg_ctlcluster … stop -m immediate` does). While it is
// down, sends are answered `unavailable`, REST 503 `unavailable` (never 500),
// a socket handshake is refused as `unavailable`, GET /health answers and the
// server process stays up. PostgreSQL is started again and, with no restart
// of the server: new sends succeed, every acknowledged message is stored
// exactly once at the seq its ack gave, each conversation runs 1..n with no
// gap, every refused send retried with its clientId is stored once, every
// message the outboxes held is delivered once, and each core's cache equals
// the server's history.
//
// PostgreSQL-specific and bringing its own server, so it runs once: in the
// plain `reliability` project, and skips itself in `reliability-pg`.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers, startChildServer, type ChildServer } from '../helpers/child-server'
import { pageAll, PASSWORD, startClient, waitSynced, type TestClient } from '../helpers/client'
import { testEngine } from '../helpers/engines'
import { api, register, type TestUser } from '../helpers/http'
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres'
import { connect, sendOrHang as send, SEND_ACK_LIMIT_MS as ACK_LIMIT_MS, type ClientSocket } from '../helpers/socket'
import { allMessages, historyProblems } from './helpers/history'
import { random, scale, seed } from './helpers/soak'
import { until } from './helpers/until'

/** Times PostgreSQL is stopped and started again under one server. */
const OUTAGES = scale('RELIABILITY_PG_OUTAGES', 2, 20)
/** Each outage lasts at least this long: the cores retry their outbox every 2 s, so they meet it more than once. */
const OUTAGE_MS = scale('RELIABILITY_PG_OUTAGE_MS', 3_000, 8_000)
/** Each outage lasts until at least this many sends were refused. */
const REFUSED_PER_OUTAGE = scale('RELIABILITY_PG_REFUSED', 30, 200)
/** Messages each core writes while the database is down (they wait in its outbox). */
const HELD_PER_CORE = scale('RELIABILITY_PG_HELD', 3, 10)
/** Acks after each restart before the next outage (or the end). */
const ACKS_AFTER = scale('RELIABILITY_PG_ACKS_AFTER', 40, 200)

const CORES = 3
const RAW = 3
const IN_FLIGHT = 2
/** A core's message not delivered this long after it was written (an outage and recovery included) is lost. */
const DELIVERY_LIMIT_MS = 120_000
/** Sign-ins tried while the database is down, per outage (as a client retrying would): more than the
 * server's 10 failed sign-ins per 15 minutes over two outages, so a refusal counted as a failure shows. */
const SIGN_INS_PER_OUTAGE = 6
/** A raw stream refused pauses this long before its next send (pacing, so an outage is not a busy loop). */
const REFUSED_PAUSE_MS = 20

const onOtherEngine = testEngine() === 'postgres'
const runs = !onOtherEngine && privatePostgresAvailable('the PostgreSQL outage test')

/** A count that promises are made on: resolves once it reaches a value, rejects after a time limit. */
class Tally {
  n = 0
  private readonly waiters: { at: number; resolve: () => void }[] = []

  add(): void {
    this.n++
    for (const w of this.waiters.filter((x) => x.at <= this.n)) {
      this.waiters.splice(this.waiters.indexOf(w), 1)
      w.resolve()
    }
  }

  reach(at: number, timeoutMs: number, what: string): Promise<void> {
    if (this.n >= at) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (${this.n} of ${at})`)), timeoutMs)
      this.waiters.push({
        at,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }
}

interface RawSend {
  conversationId: string
  text: string
  sender: number
  state: 'pending' | 'acked' | 'refused'
  seq?: number
}

interface OutageFigures {
  acksBefore: number
  inFlightAtStop: number
  ackedAfterStopCall: number
  stopMs: number
  /** From the stop call until PostgreSQL accepted connections again. */
  outageMs: number
  /** Of which pg_ctl start (crash recovery included). */
  startMs: number
  refused: number
  heldAtRestart: number
  firstAckAfterRestartMs: number
  recoveredMs: number
}

let pgsql: PrivatePostgres | undefined
let dataDir: string | undefined
const cores: TestClient[] = []
const sockets: ClientSocket[] = []
/** Set when the senders are to stop: at the end of the test, or in afterAll when it failed. */
let stopSending = false

describe.skipIf(!runs)('PostgreSQL outage', () => {
  beforeAll(async () => {
    pgsql = await startPrivatePostgres()
    dataDir = await mkdtemp(join(tmpdir(), 'messenger-pg-outage-'))
  })
  afterAll(async () => {
    stopSending = true
    for (const s of sockets) s.close()
    await Promise.all(cores.map((c) => c.destroy()))
    killChildServers()
    await pgsql?.destroy()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it(
    `${OUTAGES} immediate PostgreSQL stops while clients send: refused as unavailable, nothing acknowledged lost, outboxes delivered once, no server restart`,
    { timeout: 120_000 + OUTAGES * 90_000 },
    async () => {
      const pg = pgsql!
      const rand = random(seed())
      const server: ChildServer = await startChildServer(dataDir!, ['--database-url', pg.url])
      const alive = (): boolean => server.child.exitCode === null && server.child.signalCode === null
      const url = server.url

      const rawUsers: TestUser[] = await Promise.all(Array.from({ length: RAW }, () => register(url)))
      const coreUsers: TestUser[] = await Promise.all(Array.from({ length: CORES }, () => register(url)))
      const owner = rawUsers[0]!
      const everyone = [...rawUsers, ...coreUsers].map((u) => u.user.id)
      const groupA = await api(url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'all', memberIds: everyone.slice(1) } })
      const groupB = await api(url, 'POST', '/conversations', {
        token: owner.accessToken,
        body: { kind: 'group', title: 'some', memberIds: [rawUsers[1]!.user.id, coreUsers[0]!.user.id, coreUsers[1]!.user.id] }
      })
      const a = groupA.body.conversation.id as string
      const b = groupB.body.conversation.id as string
      const rawConversations = (u: number): string[] => (u < 2 ? [a, b] : [a])
      const coreConversations = (i: number): string[] => (i < 2 ? [a, b] : [a])
      const pick = (ids: string[]): string => ids[Math.floor(rand() * ids.length)]!

      for (const [i, user] of coreUsers.entries()) {
        const client = await startClient()
        cores.push(client)
        const since = client.mark()
        await client.call('session.login', { serverUrl: url, username: user.user.username, password: PASSWORD })
        await waitSynced(client, since)
        await until(client, async () => (await client.call('conversations.list')).length === coreConversations(i).length, `core ${i} has its conversations`)
      }
      for (const user of rawUsers) sockets.push(await connect(url, user.accessToken))
      /** clientIds of the message:new events each raw socket heard (the live delivery to the other members). */
      const heard = sockets.map((socket) => {
        const ids = new Set<string>()
        socket.on('message:new', ({ message }) => ids.add(message.clientId))
        return ids
      })

      // ------------------------------------------------------------ the senders
      const raw = new Map<string, RawSend>()
      const coreSent = new Map<string, { core: number; conversationId: string; text: string }>()
      const acks = new Tally()
      const refusals = new Tally()
      /** From the stop call until start() resolved. */
      let down = false
      /** From stop() resolved until start() is called: nothing can be committed. */
      let surelyDown = false
      let inFlight = 0

      const rawStream = async (u: number, stream: number): Promise<void> => {
        const socket = sockets[u]!
        for (let n = 0; !stopSending; n++) {
          const clientId = randomUUID()
          const entry: RawSend = { conversationId: pick(rawConversations(u)), text: `raw ${u}.${stream} #${n}`, sender: u, state: 'pending' }
          raw.set(clientId, entry)
          const emittedSurelyDown = surelyDown
          inFlight++
          const ack = await send(socket, { conversationId: entry.conversationId, clientId, text: entry.text })
          inFlight--
          if (ack === 'hang') throw new Error(`send ${clientId} (${down ? 'database down' : 'database up'}) had no answer in ${ACK_LIMIT_MS} ms`)
          if (ack.ok) {
            if (emittedSurelyDown && surelyDown) throw new Error(`send ${clientId} was acknowledged while the database was stopped`)
            entry.state = 'acked'
            entry.seq = ack.data.message.seq
            acks.add()
          } else if (ack.error.code === 'unavailable') {
            entry.state = 'refused'
            refusals.add()
            await delay(REFUSED_PAUSE_MS)
          } else {
            throw new Error(`send ${clientId} (${down ? 'database down' : 'database up'}) answered ${ack.error.code}: ${ack.error.message}`)
          }
        }
      }

      /** clientIds the cores' outboxes let go of (delivered, or failed: see failedInOutbox). */
      const removedFromOutbox = (client: TestClient): Set<string> => new Set(client.payloads('outbox').flatMap((p) => p.removed))
      const failedInOutbox = (): string[] =>
        cores.flatMap((c, i) =>
          c
            .payloads('outbox')
            .flatMap((p) => p.upserted)
            .filter((e) => e.state === 'failed')
            .map((e) => `core ${i}: ${e.clientId} failed: ${JSON.stringify(e.error)}`)
        )
      const coreSend = async (i: number, text: string): Promise<string> => {
        const conversationId = pick(coreConversations(i))
        const entry = await cores[i]!.call('messages.send', { conversationId, text })
        coreSent.set(entry.clientId, { core: i, conversationId, text })
        return entry.clientId
      }
      // Each core sends one message at a time and waits until its outbox lets go of it;
      // the one in flight when the database stops waits there until it is back.
      const coreLoop = async (i: number): Promise<void> => {
        const client = cores[i]!
        for (let n = 0; !stopSending; n++) {
          const since = client.mark()
          const clientId = await coreSend(i, `core ${i} #${n}`)
          await client.waitFor('outbox', (p) => p.removed.includes(clientId), DELIVERY_LIMIT_MS, since)
        }
      }

      const senders = [
        ...rawUsers.flatMap((_, u) => Array.from({ length: IN_FLIGHT }, (__, s) => rawStream(u, s))),
        ...cores.map((_, i) => coreLoop(i))
      ]
      const sending = Promise.all(senders)
      // A sender that fails ends the test at once rather than at a time limit.
      const failed = sending.then(
        () => new Promise<never>(() => undefined),
        (err: unknown) => Promise.reject(err as Error)
      )
      failed.catch(() => undefined) // handled by race(), whenever it is next called
      const race = <T>(p: Promise<T>): Promise<T> => Promise.race([p, failed])

      // ------------------------------------------------------------ the outages
      const figures: OutageFigures[] = []
      const rest503: string[] = []
      for (let cycle = 0; cycle < OUTAGES; cycle++) {
        const k = 20 + Math.floor(rand() * 100)
        await race(acks.reach(acks.n + k, 60_000, `${k} acks before outage ${cycle}`))
        const f: OutageFigures = {
          acksBefore: acks.n,
          inFlightAtStop: inFlight,
          ackedAfterStopCall: 0,
          stopMs: 0,
          outageMs: 0,
          startMs: 0,
          refused: 0,
          heldAtRestart: 0,
          firstAckAfterRestartMs: 0,
          recoveredMs: 0
        }
        // Stopped while the senders go on: commits are in flight.
        down = true
        const stoppedAt = Date.now()
        await pg.stopImmediate()
        f.stopMs = Date.now() - stoppedAt
        f.ackedAfterStopCall = acks.n - f.acksBefore
        surelyDown = true
        const refusedBefore = refusals.n

        // The server answers, and says why it cannot do more. (checkContract: false: the
        // OpenAPI document lists 503 only for search so far, not for every route that
        // reads the store.)
        const health = await api(url, 'GET', '/health')
        expect(health.status, 'GET /health while the database is down').toBe(200)
        type Check = [string, () => Promise<{ status: number; body: { error?: { code?: string } } }>]
        const checks: Check[] = [
          ['GET /conversations', () => api(url, 'GET', '/conversations', { token: owner.accessToken, checkContract: false })],
          ['GET /conversations/:id/messages', () => api(url, 'GET', `/conversations/${a}/messages?limit=5`, { token: owner.accessToken, checkContract: false })],
          [
            'POST /conversations/:id/messages',
            () => api(url, 'POST', `/conversations/${a}/messages`, { token: owner.accessToken, body: { clientId: randomUUID(), text: 'over REST while down' }, checkContract: false })
          ],
          ...Array.from({ length: SIGN_INS_PER_OUTAGE }, (_, n): Check => [
            `POST /auth/login (${n + 1})`,
            () => api(url, 'POST', '/auth/login', { body: { username: owner.user.username, password: PASSWORD }, checkContract: false })
          ])
        ]
        for (const [what, request] of checks) {
          const res = await request()
          expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status: 503, code: 'unavailable' })
          if (cycle === 0 && !what.endsWith(')')) rest503.push(what)
        }
        // A new socket is refused as `unavailable` (its sign-in is fine; it should retry), not as a bad token.
        const refusedHandshake = await connect(url, rawUsers[2]!.accessToken).then(
          (s) => {
            s.close()
            return 'connected'
          },
          (err: Error & { data?: { code?: string } }) => err.data?.code ?? err.message
        )
        expect(refusedHandshake, 'a socket handshake while the database is down').toBe('unavailable')

        // The cores write while it is down: their outboxes hold it.
        for (let i = 0; i < CORES; i++) for (let h = 0; h < HELD_PER_CORE; h++) await coreSend(i, `core ${i} held ${cycle}.${h}`)

        await race(refusals.reach(refusedBefore + REFUSED_PER_OUTAGE, 60_000, `${REFUSED_PER_OUTAGE} refused sends in outage ${cycle}`))
        // The outage lasts its set length (a scenario parameter, not a wait for something to happen).
        const left = OUTAGE_MS - (Date.now() - stoppedAt)
        if (left > 0) await delay(left)
        expect(alive(), 'the server process is up while the database is down').toBe(true)

        const removed = cores.map(removedFromOutbox)
        const held = [...coreSent].filter(([id, s]) => !removed[s.core]!.has(id))
        f.heldAtRestart = held.length
        f.refused = refusals.n - refusedBefore
        surelyDown = false
        const acksBeforeStart = acks.n
        const startCalled = Date.now()
        await pg.start()
        down = false
        const startedAt = Date.now()
        f.startMs = startedAt - startCalled
        f.outageMs = startedAt - stoppedAt
        await race(acks.reach(acksBeforeStart + 1, 60_000, `the first ack after restart ${cycle}`))
        f.firstAckAfterRestartMs = Date.now() - startedAt
        // Every message the outboxes held at the restart goes out, with no restart of the server.
        await race(
          Promise.all(
            cores.map((client, i) =>
              until(
                client,
                () => {
                  const gone = removedFromOutbox(client)
                  return Promise.resolve(held.every(([id, s]) => s.core !== i || gone.has(id)))
                },
                `core ${i} delivered what its outbox held at restart ${cycle}`,
                60_000
              )
            )
          )
        )
        await race(acks.reach(acksBeforeStart + ACKS_AFTER, 60_000, `${ACKS_AFTER} acks after restart ${cycle}`))
        f.recoveredMs = Date.now() - startedAt
        expect(alive()).toBe(true)
        figures.push(f)
        process.stdout.write(
          `postgres outage ${cycle}: stopped after ${f.acksBefore} acks with ${f.inFlightAtStop} sends in flight (${f.ackedAfterStopCall} acked during the stop, ${f.stopMs} ms); ` +
            `down ${f.outageMs} ms (start ${f.startMs} ms); ${f.refused} sends refused as unavailable; ${f.heldAtRestart} held in outboxes; ` +
            `first ack ${f.firstAckAfterRestartMs} ms after start, outboxes and ${ACKS_AFTER} acks in ${f.recoveredMs} ms\n`
        )
      }

      stopSending = true
      await sending
      expect(failedInOutbox()).toEqual([])

      // ------------------------------------------------------------ every send once
      const history = async (): Promise<Map<string, Message[]>> =>
        new Map(await Promise.all([a, b].map(async (id) => [id, await allMessages(url, owner.accessToken, id)] as const)))
      const byClientId = (h: Map<string, Message[]>): Map<string, Message[]> => {
        const out = new Map<string, Message[]>()
        for (const m of [...h.values()].flat()) if (m.kind === 'text') out.set(m.clientId, [...(out.get(m.clientId) ?? []), m])
        return out
      }
      // Refused sends are retried with their clientId, as the app's outbox does. Some may
      // have been committed before the database went (the answer lost): the retry finds them.
      const refused = [...raw].filter(([, s]) => s.state === 'refused')
      const storedBeforeRetry = byClientId(await history())
      const committedButRefusedIds = new Set(refused.filter(([id]) => storedBeforeRetry.has(id)).map(([id]) => id))
      const committedButRefused = committedButRefusedIds.size
      for (const [clientId, s] of refused) {
        const ack = await send(sockets[s.sender]!, { conversationId: s.conversationId, clientId, text: s.text })
        expect(ack !== 'hang' && ack.ok, `retry of ${clientId}: ${JSON.stringify(ack)}`).toBe(true)
        if (ack !== 'hang' && ack.ok) {
          s.state = 'acked'
          s.seq = ack.data.message.seq
        }
      }
      // One more send from every sender after everything: the database is back for good.
      for (const [u, socket] of sockets.entries()) {
        const clientId = randomUUID()
        const s: RawSend = { conversationId: a, text: `raw ${u} last`, sender: u, state: 'pending' }
        raw.set(clientId, s)
        const ack = await send(socket, { conversationId: a, clientId, text: s.text })
        expect(ack !== 'hang' && ack.ok).toBe(true)
        if (ack !== 'hang' && ack.ok) Object.assign(s, { state: 'acked', seq: ack.data.message.seq })
      }
      for (let i = 0; i < CORES; i++) await coreSend(i, `core ${i} last`)
      // Sign-ins refused while the database was down were not failed guesses: the right password still signs in.
      const signIn = await api(url, 'POST', '/auth/login', { body: { username: owner.user.username, password: PASSWORD } })
      expect({ status: signIn.status, body: signIn.status === 200 ? null : (signIn.body as unknown) }, 'a sign-in after the outages').toEqual({ status: 200, body: null })
      await Promise.all(cores.map((client, i) => until(client, async () => (await client.call('connection.get')).queued === 0, `core ${i} has sent everything`, 60_000)))
      expect(failedInOutbox()).toEqual([])

      const final = await history()
      for (const [id, messages] of final) expect(historyProblems(messages), `history of ${id}`).toEqual([])
      const stored = byClientId(final)
      const wrong: string[] = []
      for (const [clientId, s] of raw) {
        const found = stored.get(clientId) ?? []
        if (s.state === 'acked' && (found.length !== 1 || found[0]!.seq !== s.seq || found[0]!.conversationId !== s.conversationId)) {
          wrong.push(`acked ${clientId} (${s.text}) at seq ${s.seq}: stored ${found.length} times at ${found.map((m) => m.seq).join(', ')}`)
        }
        if (s.state === 'pending' && found.length > 1) wrong.push(`unanswered ${clientId} stored ${found.length} times`)
      }
      for (const [clientId, s] of coreSent) {
        const found = stored.get(clientId) ?? []
        if (found.length !== 1 || found[0]!.text !== s.text) wrong.push(`core ${s.core}'s ${clientId} (${s.text}) stored ${found.length} times`)
      }
      for (const clientId of stored.keys()) if (!raw.has(clientId) && !coreSent.has(clientId)) wrong.push(`stored ${clientId}, which nobody sent`)
      expect(wrong).toEqual([])

      // Live delivery: every other member's socket heard message:new for each message,
      // also for a send stored just as the database went and answered `unavailable`:
      // its retry finds it (created=false) and announces it then.
      const missedLive: string[] = []
      for (const [clientId, [m]] of stored) {
        const sender = raw.get(clientId)?.sender
        sockets.forEach((_, u) => {
          if (u === sender || !rawConversations(u).includes(m!.conversationId) || heard[u]!.has(clientId)) return
          missedLive.push(`socket ${u} never heard of ${clientId} (${m!.text}, created ${m!.createdAt})`)
        })
      }
      expect(missedLive).toEqual([])

      // Each core's cache ends equal to the server: nothing it missed while the database was away.
      for (const [i, client] of cores.entries()) {
        for (const id of coreConversations(i)) {
          const truth = final.get(id)!
          await until(
            client,
            async () => (await client.call('messages.page', { conversationId: id, limit: 1 })).messages.at(-1)?.seq === truth.at(-1)?.seq,
            `core ${i} caught up with ${id}`,
            60_000
          )
          const mine = await pageAll(client, id)
          expect(mine.map((m) => m.id), `core ${i}: cache of ${id}`).toEqual(truth.map((m) => m.id))
        }
      }

      const levels = server.logs.reduce<Record<string, number>>((acc, line) => {
        const key = String(line['level'])
        acc[key] = (acc[key] ?? 0) + 1
        return acc
      }, {})
      const errors = server.logs.filter((line) => Number(line['level']) >= 50)
      const total = (key: keyof OutageFigures): number => figures.reduce((sum, f) => sum + f[key], 0)
      const acked = [...raw.values()].filter((s) => s.state === 'acked').length
      process.stdout.write(
        `postgres outage: ${OUTAGES} immediate stops, down ${figures.map((f) => f.outageMs).join(' / ')} ms; ` +
          `${total('inFlightAtStop')} sends in flight at the stops; ${total('refused')} raw sends refused as unavailable (${committedButRefused} of them committed anyway, found by their retry); ` +
          `${acked} raw sends acked (retries included) and ${coreSent.size} outbox messages delivered (${total('heldAtRestart')} held at a restart), each stored once; ` +
          `${final.get(a)!.length} + ${final.get(b)!.length} messages, seq 1..n; REST during the outage: ${rest503.join(', ')}, ${SIGN_INS_PER_OUTAGE}× POST /auth/login → 503 unavailable; ` +
          `every message heard live by the other members; server log levels ${JSON.stringify(levels)}\n`
      )
      expect(errors.map((e) => e['msg']), 'error-level server logs').toEqual([])
      expect(total('inFlightAtStop')).toBeGreaterThan(0)

      server.child.kill('SIGTERM')
      expect((await server.exited).code).toBe(0)
    }
  )
})
