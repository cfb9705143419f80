// npm run bench:client — the client core (src/main/core): how fast a signed-in
// client catches up on messages it missed while offline, and how fast it opens
// an account whose cache already holds 1M messages. Results update the
// "Client core" section of docs/benchmarks.md.
//
//   BENCH_CLIENT_PART=catchup|open   run one part only (the doc section is rewritten with what ran)
//   BENCH_CLIENT_MISSED (10000), BENCH_CLIENT_RUNS (3), BENCH_CLIENT_INFLIGHT (64)       catch-up
//   BENCH_CLIENT_CONVERSATIONS (200), BENCH_CLIENT_PER_CONVERSATION (5000),
//   BENCH_CLIENT_OPEN_RUNS (5), BENCH_CLIENT_LIVE=0 (offline open only)                  cold open
//   BENCH_CLIENT_PROFILE=0 (no profiled extra catch-up), BENCH_CLIENT_PROFILE_DIR (keep .cpuprofile files there;
//   also profiles the cold-open children), BENCH_CLIENT_NO_DOC=1, BENCH_KEEP_DATA=1
import { randomUUID } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, open, readdir, rm, unlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Session as InspectorSession } from 'node:inspector/promises'
import type { Profiler } from 'node:inspector'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { ClientCore } from '../../src/main/core/client'
import { accountId } from '../../src/main/core/accounts'
import { refreshKey } from '../../src/main/core/session'
import { silentLogger } from '../../src/main/core/logger'
import { fileSecretStorage } from '../../src/main/core/secret-store'
import { fromServer } from '../../src/main/core/server-data'
import { CHUNK_SIZE } from '../../src/main/core/cache/chunks'
import type { Conversation } from '../../src/shared/schemas/conversations'
import { MessagePage, type Message } from '../../src/shared/schemas/messages'
import type { Me } from '../../src/shared/schemas/users'
import { clientKey } from '../../server/store/messages/client-index'
import { encodeMessages, parseSegmentName, SEGMENT_SIZE, segmentPath } from '../../server/store/messages/segments'
import { startClient } from '../helpers/client'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import type { OpenRequest, OpenSample } from './client-open'
import { DOC_PATH } from './report'
import { Child } from './rpc'
import { makeCorpus, pick, rng, spreadTimes, TextMaker } from './search-data'
import type { ServerStats } from './search-server'
import { api, describeMachine, envNumber, fmt, log, machine, type Machine, mapLimit, median, registerUsers, sleep } from './util'

interface ClientConfig {
  part: 'all' | 'catchup' | 'open'
  missed: number
  runs: number
  inflight: number
  conversations: number
  perConversation: number
  openRuns: number
  live: boolean
  profile: boolean
  profileDir: string | null
}

function clientConfig(): ClientConfig {
  const part = process.env['BENCH_CLIENT_PART'] ?? 'all'
  if (part !== 'all' && part !== 'catchup' && part !== 'open') throw new Error(`BENCH_CLIENT_PART must be catchup or open, got ${part}`)
  return {
    part,
    missed: envNumber('BENCH_CLIENT_MISSED', 10_000),
    runs: Math.max(1, envNumber('BENCH_CLIENT_RUNS', 3)),
    inflight: Math.max(1, envNumber('BENCH_CLIENT_INFLIGHT', 64)),
    conversations: Math.max(21, envNumber('BENCH_CLIENT_CONVERSATIONS', 200)),
    perConversation: Math.max(1, envNumber('BENCH_CLIENT_PER_CONVERSATION', 5000)),
    openRuns: Math.max(1, envNumber('BENCH_CLIENT_OPEN_RUNS', 5)),
    live: process.env['BENCH_CLIENT_LIVE'] !== '0',
    profile: process.env['BENCH_CLIENT_PROFILE'] !== '0',
    profileDir: process.env['BENCH_CLIENT_PROFILE_DIR'] || null
  }
}

const CATCH_UP_TARGET = 20_000
const OPEN_TARGET_MS = 300
const PASSWORD = 'bench-password'
const SEED = 20_261_122
const YEAR_MS = 365 * 24 * 3600 * 1000
const SERVER_SCRIPT = join(import.meta.dirname, 'search-server.ts')
const OPEN_SCRIPT = join(import.meta.dirname, 'client-open.ts')

/** Everything started by this run, stopped in `finally` even after a failure. */
const children = new Set<Child>()
const tempDirs = new Set<string>()

async function startServerChild(dataDir: string): Promise<{ child: Child; url: string }> {
  const child = new Child(SERVER_SCRIPT, 'server')
  children.add(child)
  const { port } = await child.call<{ port: number }>('start', { dataDir })
  return { child, url: `http://127.0.0.1:${port}` }
}

async function stopChild(child: Child): Promise<void> {
  await child.stop()
  children.delete(child)
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

const cpuMs = (since?: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

// ---------------------------------------------------------------------------
// Part 1: catch-up after being offline
// ---------------------------------------------------------------------------

export interface CatchUpRun {
  run: number
  order: 'raw first' | 'core first'
  /** Sending the batch (not measured, for reference). */
  sendMs: number
  /** core.start() returned (session resumed, cache opened). */
  startMs: number
  /** Socket connected (after the token refresh and the handshake). */
  onlineMs: number
  /** Online, not syncing, and messages.page shows the newest seq. */
  doneMs: number
  /** core.close() right after: writes the remaining chunks and meta.json durably. */
  closeMs: number
  clientCpuMs: number
  serverCpuMs: number
  /** Messages the renderer was sent in `messages` events. */
  delivered: number
  eventBatches: number
  /** The same messages through a bare socket: message:list pages of 200 after the same cursor. */
  rawMs: number
  rawServerCpuMs: number
  rawClientCpuMs: number
  /** Validating those pages with the core's zod schema (fromServer(MessagePage)), in this process, afterwards. */
  zodMs: number
}

export interface ProfileEntry {
  name: string
  selfMs: number
}

export interface CatchUpProfile {
  wallMs: number
  sampledMs: number
  byArea: ProfileEntry[]
  byFunction: ProfileEntry[]
  file: string | null
}

export interface CatchUpResult {
  runs: CatchUpRun[]
  profile: CatchUpProfile | null
  textChars: number
}

interface Batch {
  sendMs: number
  lastSeq: number
}

/** Sends `count` messages over one socket with `inflight` unacknowledged at a time. */
async function sendBatch(url: string, token: string, conversationId: string, texts: string[], inflight: number): Promise<Batch> {
  const socket = await connect(url, token)
  const started = performance.now()
  let next = 0
  let lastSeq = 0
  const tag = randomUUID().slice(0, 8)
  const worker = async (): Promise<void> => {
    while (next < texts.length) {
      const i = next++
      const result = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId, clientId: `b${tag}-${i}`, text: texts[i]! })
      if (!result.ok) throw new Error(`message:send failed: ${result.error.code}: ${result.error.message}`)
      lastSeq = Math.max(lastSeq, result.data.message.seq)
    }
  }
  try {
    await Promise.all(Array.from({ length: inflight }, worker))
  } finally {
    socket.close()
  }
  return { sendMs: performance.now() - started, lastSeq }
}

interface RawFetch {
  ms: number
  clientCpuMs: number
  serverCpuMs: number
  pages: unknown[]
  count: number
  lastSeq: number
}

/** What the wire and the server cost: pages of 200 after `after` until the end, nothing else. */
async function fetchRaw(url: string, token: string, server: Child, conversationId: string, after: number): Promise<RawFetch> {
  const socket: ClientSocket = await connect(url, token)
  try {
    const pages: unknown[] = []
    let count = 0
    let cursor = after
    const server0 = (await server.call<ServerStats>('stats')).cpuMs
    const cpu0 = process.cpuUsage()
    const started = performance.now()
    for (;;) {
      const result = await emitAck<MessagePage>(socket, 'message:list', { conversationId, after: cursor, limit: 200 })
      if (!result.ok) throw new Error(`message:list failed: ${result.error.code}`)
      pages.push(result.data)
      const { messages, hasMore } = result.data
      count += messages.length
      if (messages.length) cursor = messages[messages.length - 1]!.seq
      if (!hasMore || messages.length === 0) break
    }
    const ms = performance.now() - started
    const clientCpuMs = cpuMs(cpu0)
    const serverCpuMs = (await server.call<ServerStats>('stats')).cpuMs - server0
    return { ms, clientCpuMs, serverCpuMs, pages, count, lastSeq: cursor }
  } finally {
    socket.close()
  }
}

async function openCore(userDataDir: string): Promise<ClientCore> {
  return ClientCore.create({
    userDataDir,
    secrets: fileSecretStorage(join(userDataDir, 'secrets.json')),
    host: 'web',
    version: 'bench',
    logger: silentLogger
  })
}

interface CoreCatchUp {
  startMs: number
  onlineMs: number
  doneMs: number
  closeMs: number
  clientCpuMs: number
  serverCpuMs: number
  delivered: number
  eventBatches: number
}

/**
 * Starts the core on the offline client's directory and times it until it is
 * online, not syncing, and its cache pages up to `expectedSeq`. Polls every
 * 2 ms (the connection state is read in memory; the page check runs only once
 * the sync reports done).
 */
async function coreCatchUp(
  userDataDir: string,
  server: Child,
  conversationId: string,
  expectedSeq: number,
  /** Run right before the timed window opens and right after it closes (the profiler). */
  around?: { before(): Promise<void>; after(): Promise<void> }
): Promise<CoreCatchUp> {
  const core = await openCore(userDataDir)
  let delivered = 0
  let eventBatches = 0
  core.subscribe((batch) => {
    eventBatches++
    for (const event of batch) if (event.type === 'messages' && event.payload.conversationId === conversationId) delivered += event.payload.upserted.length
  })
  const server0 = (await server.call<ServerStats>('stats')).cpuMs
  await around?.before()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let startMs = NaN
  let onlineMs = NaN
  let startError: Error | null = null
  const starting = core.start().then(
    () => (startMs = performance.now() - t0),
    (err: unknown) => (startError = err instanceof Error ? err : new Error(String(err)))
  )
  let doneMs: number
  try {
    for (;;) {
      await sleep(2)
      if (startError) throw startError as Error
      const state = core.connectionState()
      const now = performance.now() - t0
      if (state.status === 'online' && Number.isNaN(onlineMs)) onlineMs = now
      if (state.status === 'online' && !state.syncing) {
        const page = await core.dispatch('messages.page', { conversationId, limit: 1 })
        if (page.ok && (page.data as { messages: Message[] }).messages.at(-1)?.seq === expectedSeq) {
          doneMs = performance.now() - t0
          break
        }
      }
      if (now > 120_000) throw new Error(`catch-up not done in 120 s: ${JSON.stringify(state)}`)
    }
    await starting
  } catch (err) {
    await core.close().catch(() => undefined)
    throw err
  }
  const clientCpuMs = cpuMs(cpu0)
  await around?.after()
  const serverCpuMs = (await server.call<ServerStats>('stats')).cpuMs - server0
  const c0 = performance.now()
  await core.close()
  const closeMs = performance.now() - c0
  return { startMs, onlineMs, doneMs, closeMs, clientCpuMs, serverCpuMs, delivered, eventBatches }
}

async function runCatchUp(config: ClientConfig): Promise<CatchUpResult> {
  const dataDir = await tempDir('client-bench-server-')
  const { child: server, url } = await startServerChild(dataDir)
  const corpus = makeCorpus(4000, SEED)
  const texts = new TextMaker(corpus, SEED + 1)
  let textChars = 0
  const makeTexts = (n: number): string[] =>
    Array.from({ length: n }, () => {
      const t = texts.text()
      textChars += t.length
      return t
    })

  // Alice signs in through a real core; Bob is a bare REST + socket user.
  const alice = await startClient(await tempDir('client-bench-alice-'))
  const signedIn = await alice.call('session.register', { serverUrl: url, username: 'alice', password: PASSWORD })
  if (signedIn.status !== 'signed_in') throw new Error('alice could not register')
  const aliceId = signedIn.me.id
  const [bob] = await registerUsers(url, 'bob', 1)
  const { conversation } = await api<{ conversation: Conversation }>(url, 'POST', '/conversations', { kind: 'direct', userId: aliceId }, bob!.accessToken)
  const conversationId = conversation.id
  // One message cached, so what follows is a catch-up after the cursor (a never-cached conversation only fetches its newest page).
  let high = (await sendBatch(url, bob!.accessToken, conversationId, makeTexts(1), 1)).lastSeq
  const deadline = performance.now() + 10_000
  for (;;) {
    const page = await alice.call('messages.page', { conversationId, limit: 1 }).catch(() => null)
    if (page?.messages.at(-1)?.seq === high) break
    if (performance.now() > deadline) throw new Error('alice did not receive the first message')
    await sleep(20)
  }
  await alice.close()
  textChars = 0

  const aliceToken = async (): Promise<string> =>
    (await api<{ accessToken: string }>(url, 'POST', '/auth/login', { username: 'alice', password: PASSWORD })).accessToken

  const runs: CatchUpRun[] = []
  const total = config.runs + (config.profile ? 1 : 0)
  let profile: CatchUpProfile | null = null
  for (let run = 1; run <= total; run++) {
    const profiled = run > config.runs
    const before = high
    const batch = await sendBatch(url, bob!.accessToken, conversationId, makeTexts(config.missed), config.inflight)
    high = batch.lastSeq
    if (high - before !== config.missed) throw new Error(`expected ${config.missed} new messages, the server has ${high - before}`)
    const rawFirst = run % 2 === 1
    let raw: RawFetch | null = null
    const doRaw = async (): Promise<void> => {
      raw = await fetchRaw(url, await aliceToken(), server, conversationId, before)
      if (raw.count !== config.missed || raw.lastSeq !== high) throw new Error(`raw fetch got ${raw.count} messages up to ${raw.lastSeq}`)
    }
    if (rawFirst && !profiled) await doRaw()
    const inspector = profiled ? new InspectorSession() : null
    let cpu: Profiler.Profile | null = null
    const around = inspector
      ? {
          before: async () => {
            inspector.connect()
            await inspector.post('Profiler.enable')
            await inspector.post('Profiler.setSamplingInterval', { interval: 200 })
            await inspector.post('Profiler.start')
          },
          after: async () => {
            cpu = (await inspector.post('Profiler.stop')).profile
            inspector.disconnect()
          }
        }
      : undefined
    const core = await coreCatchUp(alice.userDataDir, server, conversationId, high, around)
    if (profiled) {
      if (!cpu) throw new Error('no profile')
      profile = await summarizeProfile(cpu, core.doneMs, config.profileDir, 'client-catch-up')
      log(`  profiled catch-up (not counted): ${fmt(core.doneMs)} ms, ${fmt((config.missed / core.doneMs) * 1000)} msg/s under the profiler`)
      continue
    }
    if (!rawFirst) await doRaw()
    const r = raw as RawFetch | null
    if (!r) throw new Error('no raw fetch')
    const z0 = performance.now()
    for (const page of r.pages) fromServer(MessagePage, page, 'message page')
    const zodMs = performance.now() - z0
    const result: CatchUpRun = {
      run,
      order: rawFirst ? 'raw first' : 'core first',
      sendMs: batch.sendMs,
      ...core,
      rawMs: r.ms,
      rawServerCpuMs: r.serverCpuMs,
      rawClientCpuMs: r.clientCpuMs,
      zodMs
    }
    runs.push(result)
    log(
      `  run ${run}: core ${fmt(result.doneMs)} ms (${fmt((config.missed / result.doneMs) * 1000)} msg/s; online at ${fmt(result.onlineMs)} ms), ` +
        `raw ${fmt(result.rawMs)} ms (${fmt((config.missed / result.rawMs) * 1000)} msg/s), close ${fmt(result.closeMs)} ms, ` +
        `client CPU ${fmt(result.clientCpuMs)} ms, server CPU ${fmt(result.serverCpuMs)} ms; sent in ${fmt(result.sendMs)} ms`
    )
  }
  await stopChild(server)
  return { runs, profile, textChars: textChars / (config.missed * total) }
}

// Where the core's time goes, from a V8 CPU profile of one catch-up. A frame
// of Node's own code or a native function counts for the nearest caller that
// belongs to a known area (JSON.parse under socket.io-parser is socket.io's,
// a write() under writeFileAtomic is the durable write's).
const IDLE = 'idle (waiting for the server or the disk)'
function areaOf(url: string, fn: string): string | null {
  if (fn === '(garbage collector)') return 'garbage collection'
  if (fn === '(idle)') return IDLE
  if (fn === '(program)') return 'V8/native, not attributed (program)'
  if (url.includes('/node_modules/zod/')) return 'zod validation (fromServer)'
  if (/node_modules\/(socket\.io|engine\.io|ws|@socket\.io)/.test(url)) return 'socket.io / engine.io / ws (JSON.parse of pages; socket writes, where Linux delivers loopback traffic inside the writer\'s syscall)'
  if (url.includes('/node_modules/lowdb/')) return 'lowdb'
  if (url.includes('/node_modules/tsx/')) return 'tsx loader'
  if (url.includes('/src/main/core/cache/')) return 'core: cache (chunks, meta)'
  if (url.includes('/src/main/core/event-batcher')) return 'core: event batcher'
  if (url.includes('/src/main/core/')) return 'core: other (session, sync, realtime, handlers)'
  if (url.includes('/src/node/')) return 'core: JSON files (src/node: read + parse; stringify + write, fsync, rename)'
  if (url.includes('/src/shared/')) return 'core: shared code'
  if (url.includes('/test/')) return 'benchmark (polling, event counting)'
  return null
}

async function summarizeProfile(profile: Profiler.Profile, wallMs: number, dir: string | null, name = 'client-catch-up'): Promise<CatchUpProfile> {
  const self = new Map<number, number>()
  const deltas = profile.timeDeltas ?? []
  const samples = profile.samples ?? []
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000)
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const areaCache = new Map<number, string | null>()
  const inherited = (id: number | undefined): string | null => {
    if (id === undefined) return null
    if (areaCache.has(id)) return areaCache.get(id)!
    const n = nodes.get(id)!
    const area = areaOf(n.callFrame.url, n.callFrame.functionName) ?? inherited(parent.get(id))
    areaCache.set(id, area)
    return area
  }
  const byArea = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let sampledMs = 0
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0
    const { functionName, url } = node.callFrame
    // Stopping the profiler itself is sampled too.
    if (ms === 0 || url === 'node:inspector') continue
    const fn = functionName || '(anonymous)'
    const area = inherited(node.id) ?? 'Node internals (event loop, timers, sockets)'
    byArea.set(area, (byArea.get(area) ?? 0) + ms)
    if (area === IDLE) continue
    sampledMs += ms
    const short = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/main\//, '')
    const key = `${fn} (${short || 'native'})`
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
  }
  const sorted = (m: Map<string, number>): ProfileEntry[] => [...m].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs)
  let file: string | null = null
  if (dir) {
    await mkdir(dir, { recursive: true })
    file = join(dir, `${name}-${Date.now()}.cpuprofile`)
    await writeFile(file, JSON.stringify(profile))
  }
  return { wallMs, sampledMs, byArea: sorted(byArea), byFunction: sorted(byFunction).slice(0, 15), file }
}

// ---------------------------------------------------------------------------
// Part 2: opening an account with 1M cached messages
// ---------------------------------------------------------------------------

export interface OpenResult {
  conversations: number
  perConversation: number
  chunkFiles: number
  cacheBytes: number
  metaBytes: number
  prepareSeconds: number
  indexSeconds: number
  offline: OpenSample[]
  live: OpenSample[]
  profile: CatchUpProfile | null
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface OpenPrepared {
  userDataDir: string
  account: { id: string; serverUrl: string; userId: string; username: string; displayName: string }
  metaPristine: string
  liveUrl: string
  server: Child
  chunkFiles: number
  cacheBytes: number
  metaBytes: number
  prepareSeconds: number
  indexSeconds: number
}

/**
 * A server that holds 200 conversations of one user with 5,000 messages each,
 * and that user's cache holding all of them: the same messages, written
 * straight into the server's segment files and into the cache's chunk files
 * (meta.json with the server's own conversation objects, cursors 1..5000).
 */
async function prepareOpen(config: ClientConfig): Promise<OpenPrepared> {
  const started = performance.now()
  const dataDir = await tempDir('client-bench-open-server-')
  const userDataDir = await tempDir('client-bench-open-client-')
  const random = rng(SEED + 7)
  let { child: server, url } = await startServerChild(dataDir)
  const others = 20
  const users = await registerUsers(url, 'o', others + 1)
  const me = users[0]!
  const peers = users.slice(1)
  const plans: string[][] = []
  for (let i = 0; i < config.conversations; i++) {
    if (i < others) plans.push([me.id, peers[i]!.id])
    else {
      const members = new Set([me.id])
      const size = 3 + Math.floor(random() * 6)
      while (members.size < size) members.add(pick(random, peers).id)
      plans.push([...members])
    }
  }
  const conversationIds = await mapLimit(plans, 4, async (members, i) => {
    const body = i < others ? { kind: 'direct', userId: members[1] } : { kind: 'group', title: `bench group ${i}`, memberIds: members.slice(1) }
    return (await api<{ conversation: { id: string } }>(url, 'POST', '/conversations', body, me.accessToken)).conversation.id
  })
  await stopChild(server)

  // History: the same messages into the server's store and the client's cache.
  const account = {
    id: accountId(url, me.id),
    serverUrl: url,
    userId: me.id,
    username: 'bench_o0',
    displayName: 'bench_o0'
  }
  const cacheDir = join(userDataDir, 'accounts', account.id, 'cache')
  const corpus = makeCorpus(4000, SEED + 3)
  const texts = new TextMaker(corpus, SEED + 4)
  const end = Date.now() - 3600_000
  let chunkFiles = 0
  let cacheBytes = 0
  for (const [i, id] of conversationIds.entries()) {
    const times = spreadTimes(random, config.perConversation, end - YEAR_MS, end)
    const messages: Message[] = Array.from({ length: config.perConversation }, (_, k) => ({
      id: randomUUID(),
      clientId: randomUUID(),
      conversationId: id,
      seq: k + 1,
      kind: 'text' as const,
      senderId: pick(random, plans[i]!),
      text: texts.text(),
      createdAt: new Date(times[k]!).toISOString()
    }))
    await writeServerHistory(join(dataDir, 'messages'), id, messages)
    const dir = join(cacheDir, 'messages', id)
    await mkdir(dir, { recursive: true })
    for (let first = 0; first < messages.length; first += CHUNK_SIZE) {
      const text = JSON.stringify({ messages: messages.slice(first, first + CHUNK_SIZE) })
      await writeFile(join(dir, `${first / CHUNK_SIZE}.json`), text, { mode: 0o600 })
      chunkFiles++
      cacheBytes += Buffer.byteLength(text)
    }
  }
  // The index made so far holds only the groups' system messages: the server re-indexes all of it once, before any measurement.
  for (const suffix of ['', '-wal', '-shm']) await rm(join(dataDir, `search.sqlite${suffix}`), { force: true })
  const prepareSeconds = (performance.now() - started) / 1000
  const i0 = performance.now()
  ;({ child: server, url } = await startServerChild(dataDir))
  await server.call('caughtUp', { timeoutMs: 20 * 60_000 })
  const indexSeconds = (performance.now() - i0) / 1000
  log(`  prepared in ${fmt(prepareSeconds, 1)} s; the server indexed its history for search in ${fmt(indexSeconds, 1)} s`)

  // The port changed with the restart; the account keeps its id (the core never recomputes it).
  account.serverUrl = url
  const conversations = (await api<{ conversations: Conversation[] }>(url, 'GET', '/conversations', undefined, me.accessToken)).conversations
  const profile = (await api<{ user: Me }>(url, 'GET', '/me', undefined, me.accessToken)).user
  if (conversations.length !== config.conversations || conversations.some((c) => c.lastSeq !== config.perConversation)) {
    throw new Error(`the server lists ${conversations.length} conversations, lastSeq ${conversations.map((c) => c.lastSeq).join(',')}`)
  }
  const meta = {
    schema: 1,
    me: profile,
    conversations: Object.fromEntries(conversations.map((c) => [c.id, c])),
    cursors: Object.fromEntries(conversations.map((c) => [c.id, { low: 1, high: c.lastSeq, version: c.version }]))
  }
  const metaText = JSON.stringify(meta)
  const metaPristine = join(userDataDir, 'meta.pristine.json')
  await writeFile(metaPristine, metaText)
  return {
    userDataDir,
    account,
    metaPristine,
    liveUrl: url,
    server,
    chunkFiles,
    cacheBytes,
    metaBytes: Buffer.byteLength(metaText),
    prepareSeconds,
    indexSeconds
  }
}

/** The server's on-disk history of one conversation (segments + clientids.log), replacing what it had. */
async function writeServerHistory(root: string, conversationId: string, messages: Message[]): Promise<void> {
  const dir = join(root, conversationId)
  await mkdir(dir, { recursive: true })
  for (const name of await readdir(dir)) if (parseSegmentName(name) !== null || name === 'changes.log') await unlink(join(dir, name))
  const index = await open(join(dir, 'clientids.log'), 'w', 0o600)
  try {
    for (let first = 0, segment = 0; first < messages.length; first += SEGMENT_SIZE, segment++) {
      const slice = messages.slice(first, first + SEGMENT_SIZE)
      await writeFile(segmentPath(dir, segment), encodeMessages(slice), { mode: 0o600 })
      await index.write(slice.map((m) => `${m.seq}\t${clientKey(m.senderId, m.clientId)}\n`).join(''))
    }
  } finally {
    await index.close()
  }
}

/** Puts the user-data directory back to the prepared state, pointing at `serverUrl` with a usable sign-in. */
async function resetAccount(p: OpenPrepared, serverUrl: string, refreshToken: string): Promise<void> {
  const dir = p.userDataDir
  await writeFile(join(dir, 'accounts.json'), JSON.stringify({ accounts: [{ ...p.account, serverUrl }], activeId: p.account.id }), { mode: 0o600 })
  await writeFile(join(dir, 'secrets.json'), JSON.stringify({ [refreshKey(p.account.id)]: refreshToken }), { mode: 0o600 })
  await copyFile(p.metaPristine, join(dir, 'accounts', p.account.id, 'cache', 'meta.json'))
  await rm(join(dir, 'accounts', p.account.id, 'outbox.json'), { force: true })
}

async function openOnce(p: OpenPrepared, config: ClientConfig, live: boolean, offlineUrl: string, profile = false): Promise<OpenSample> {
  const token = live
    ? (await api<{ refreshToken: string }>(p.liveUrl, 'POST', '/auth/login', { username: p.account.username, password: PASSWORD })).refreshToken
    : 'not-used-the-server-is-unreachable'
  await resetAccount(p, live ? p.liveUrl : offlineUrl, token)
  const extra = config.profileDir ? ['--cpu-prof', '--cpu-prof-dir', config.profileDir, '--cpu-prof-name', `client-open-${live ? 'live' : 'offline'}-${Date.now()}.cpuprofile`] : []
  const child = new Child(OPEN_SCRIPT, 'client-open', extra)
  children.add(child)
  try {
    const request: OpenRequest = { userDataDir: p.userDataDir, waitOnline: live, conversations: config.conversations, profile }
    const sample = await child.call<OpenSample>('open', request)
    if (sample.newestSeq !== config.perConversation) throw new Error(`the newest page ended at seq ${sample.newestSeq}`)
    return sample
  } finally {
    await stopChild(child)
  }
}

async function runOpen(config: ClientConfig): Promise<OpenResult> {
  const p = await prepareOpen(config)
  const offlineUrl = `http://127.0.0.1:${await closedPort()}`
  const offline: OpenSample[] = []
  const live: OpenSample[] = []
  const show = (s: OpenSample): string =>
    `create+start+list ${fmt(s.listMs, 1)} ms, page ${fmt(s.pageMs, 1)} ms, boot ${fmt(s.bootMs)} ms, import ${fmt(s.importMs)} ms` +
    (s.syncedMs !== null ? `, online+synced ${fmt(s.syncedMs)} ms` : '') +
    `, RSS ${fmt(s.rssMiB)} MiB`
  // One run of each kind first, not counted: tsx's transform cache and the page cache warm up.
  await openOnce(p, config, false, offlineUrl)
  if (config.live) await openOnce(p, config, true, offlineUrl)
  for (let run = 1; run <= config.openRuns; run++) {
    const a = await openOnce(p, config, false, offlineUrl)
    offline.push(a)
    log(`  open ${run} offline: ${show(a)}`)
    if (config.live) {
      const b = await openOnce(p, config, true, offlineUrl)
      live.push(b)
      log(`  open ${run} live:    ${show(b)}`)
    }
  }
  let profile: CatchUpProfile | null = null
  if (config.profile) {
    const s = await openOnce(p, config, false, offlineUrl, true)
    log(`  profiled open (offline, not counted): create+start+list ${fmt(s.listMs, 1)} ms, page ${fmt(s.pageMs, 1)} ms`)
    if (s.profile) profile = await summarizeProfile(s.profile, s.listMs + s.pageMs, config.profileDir, 'client-open')
  }
  await stopChild(p.server)
  return {
    profile,
    conversations: config.conversations,
    perConversation: config.perConversation,
    chunkFiles: p.chunkFiles,
    cacheBytes: p.cacheBytes,
    metaBytes: p.metaBytes,
    prepareSeconds: p.prepareSeconds,
    indexSeconds: p.indexSeconds,
    offline,
    live
  }
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

export const CLIENT_HEADING = '## Client core (npm run bench:client)'

const ms = (v: number, digits = 0): string => (Number.isFinite(v) ? `${fmt(v, digits)} ms` : 'n/a')
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const rate = (n: number, msv: number): number => (n / msv) * 1000
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB`

function renderCatchUp(r: CatchUpResult, config: ClientConfig): string[] {
  const n = config.missed
  const rates = r.runs.map((x) => rate(n, x.doneMs))
  const rawRates = r.runs.map((x) => rate(n, x.rawMs))
  const medianRate = median(rates)
  const lines = [
    '### Catch-up after being offline',
    '',
    `A client core (\`ClientCore\`, file secret store, its own user-data directory) is signed in to a real server running in a ` +
      `child process, with one cached message in a direct chat. Its core is closed (the directory stays); the other member sends ` +
      `${fmt(n)} messages (socket.io \`message:send\`, ${config.inflight} in flight; ${fmt(r.textChars)} characters of text on ` +
      `average); then a new core is started on the same directory in this process. *Core*: from \`core.start()\` until the core ` +
      `reports online and not syncing and \`messages.page\` returns the newest seq (polled every 2 ms); this includes resuming ` +
      `the session (a token refresh over HTTP), the socket handshake, \`conversation:list\`, ${fmt(Math.ceil(n / 200))} ` +
      `\`message:list\` pages of 200 one after another, and \`message:changes\`. *Raw*: the same ${fmt(n)} messages fetched ` +
      `by a bare socket.io-client over an open connection, \`message:list\` pages of 200 after the same cursor, nothing else ` +
      `(the wire and the server). Raw and core take turns going first. CPU columns: this process (the core) and the server process.`,
    '',
    row(['Run', 'Order', 'Core: start → synced', 'of which to online', 'Core msg/s', 'Client CPU', 'Server CPU', 'Raw fetch', 'Raw msg/s', 'Raw client / server CPU', 'Core ÷ raw time', 'Then `close()` (flush)']),
    row(['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])
  ]
  for (const x of r.runs) {
    lines.push(
      row([
        String(x.run),
        x.order,
        ms(x.doneMs),
        ms(x.onlineMs),
        fmt(rate(n, x.doneMs)),
        ms(x.clientCpuMs),
        ms(x.serverCpuMs),
        ms(x.rawMs),
        fmt(rate(n, x.rawMs)),
        `${ms(x.rawClientCpuMs)} / ${ms(x.rawServerCpuMs)}`,
        `${fmt(x.doneMs / x.rawMs, 2)}×`,
        ms(x.closeMs)
      ])
    )
  }
  const med = (f: (x: CatchUpRun) => number): number => median(r.runs.map(f))
  lines.push(
    row([
      '**median**',
      '',
      ms(med((x) => x.doneMs)),
      ms(med((x) => x.onlineMs)),
      `**${fmt(medianRate)}**`,
      ms(med((x) => x.clientCpuMs)),
      ms(med((x) => x.serverCpuMs)),
      ms(med((x) => x.rawMs)),
      fmt(median(rawRates)),
      `${ms(med((x) => x.rawClientCpuMs))} / ${ms(med((x) => x.rawServerCpuMs))}`,
      `${fmt(med((x) => x.doneMs / x.rawMs), 2)}×`,
      ms(med((x) => x.closeMs))
    ])
  )
  const afterOnline = median(r.runs.map((x) => rate(n, x.doneMs - x.onlineMs)))
  lines.push(
    '',
    `- Catch-up: **${fmt(medianRate)} msg/s** median (runs: ${rates.map((v) => fmt(v)).join(', ')}); target ≥ ${fmt(CATCH_UP_TARGET)} msg/s: **${medianRate >= CATCH_UP_TARGET ? 'met' : 'missed'}**.`,
    `- Counting from online only (without the refresh and handshake): ${fmt(afterOnline)} msg/s median. Raw fetch of the same messages: ${fmt(median(rawRates))} msg/s median, so the core takes ${fmt(med((x) => x.doneMs / x.rawMs), 2)}× the raw time.`,
    `- Validating the ${fmt(Math.ceil(n / 200))} raw pages afterwards with the core's own \`fromServer(MessagePage)\` took ${ms(med((x) => x.zodMs), 1)} (median), which is part of the core's client CPU.`,
    `- Every run delivered all ${fmt(n)} messages to the renderer side (${r.runs.map((x) => `${fmt(x.delivered)} in ${x.eventBatches} batches`).join('; ')}).`
  )
  if (r.profile) {
    lines.push(
      '',
      `Where the core's process spends a catch-up: one extra run (not in the table) under the V8 sampling profiler (200 µs), ` +
        `started right before \`core.start()\` and stopped when the catch-up was seen done.`,
      '',
      ...renderProfile(r.profile)
    )
  }
  return lines
}

/** Self time by area (a Node or native frame counts for its nearest known caller) and the top functions. */
function renderProfile(p: CatchUpProfile): string[] {
  const idle = p.byArea.find((e) => e.name === IDLE)?.selfMs ?? 0
  const lines = [
    `${ms(p.wallMs)} wall; the core's thread was busy ${ms(p.sampledMs)} and idle ${ms(idle)} (waiting for the server or the disk)` +
      `${p.file ? `; profile kept in \`${p.file}\`` : ''}. A frame of Node's own code or a native function (JSON.parse, fs calls) counts ` +
      `for its nearest caller in a known area. A sample counts wall time on the thread, so a syscall stalled by other load on the machine counts in full.`,
    '',
    row(['Area', 'Self time', 'Share of busy']),
    row(['---', '---:', '---:'])
  ]
  for (const e of p.byArea.filter((e) => e.name !== IDLE)) lines.push(row([e.name, ms(e.selfMs, 1), `${fmt((e.selfMs / p.sampledMs) * 100)}%`]))
  lines.push('', row(['Top functions by self time', 'Self time']), row(['---', '---:']))
  for (const e of p.byFunction.slice(0, 10)) lines.push(row([`\`${e.name}\``, ms(e.selfMs, 1)]))
  return lines
}

function renderOpen(r: OpenResult): string[] {
  const total = r.conversations * r.perConversation
  const lines = [
    '### Opening an account with 1M cached messages',
    '',
    `The cache of one account holds ${fmt(total)} messages: ${r.conversations} conversations (20 direct chats, the rest groups ` +
      `of 3–8) × ${fmt(r.perConversation)} messages, in ${fmt(r.chunkFiles)} chunk files (${mib(r.cacheBytes)}) plus a meta.json ` +
      `of ${fmt(r.metaBytes / 1024)} KiB. The same messages are in the server's store, and meta.json holds the server's own ` +
      `conversation objects with cursors 1..${fmt(r.perConversation)}, so a live catch-up finds nothing missed. Files were ` +
      `written directly in the formats the core and the server read (${fmt(r.prepareSeconds, 1)} s; then the server indexed its ` +
      `history for search in ${fmt(r.indexSeconds, 1)} s, before any measurement). Each open is a fresh child process ` +
      `(\`fork\` with tsx's loader) on the same directory, reset before each run (accounts.json, a refresh token in ` +
      `secrets.json, meta.json); files are in the OS page cache (written by the preparation and read by the runs before). ` +
      `*Offline*: the account points at a closed port on 127.0.0.1. *Live*: at the running server, with a fresh refresh token. ` +
      `Offline and live runs alternate, after one uncounted run of each. *Open* is from before \`ClientCore.create\` through ` +
      `\`core.start()\` to the first \`conversations.list\` result (${r.conversations} conversations), in the child, after ` +
      `the core's modules were imported; *first page* is the \`messages.page\` of the newest conversation right after.`,
    '',
    row(['Account points at', 'Runs', 'Open median', 'Open max', 'First page median', 'First page max', 'Process start → list (boot + import + open) median', 'of which importing the core through tsx', 'Online + synced (from create) median', 'RSS after']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])
  ]
  const add = (label: string, s: OpenSample[]): void => {
    if (s.length === 0) return
    const m = (f: (x: OpenSample) => number): number => median(s.map(f))
    const max = (f: (x: OpenSample) => number): number => Math.max(...s.map(f))
    lines.push(
      row([
        label,
        String(s.length),
        ms(m((x) => x.listMs), 1),
        ms(max((x) => x.listMs), 1),
        ms(m((x) => x.pageMs), 1),
        ms(max((x) => x.pageMs), 1),
        ms(m((x) => x.bootMs + x.importMs + x.listMs)),
        ms(m((x) => x.importMs)),
        s[0]!.syncedMs === null ? 'n/a (offline)' : ms(m((x) => x.syncedMs ?? NaN)),
        mib(m((x) => x.rssMiB) * 2 ** 20)
      ])
    )
  }
  add('closed port (offline)', r.offline)
  add('live server', r.live)
  const all = [...r.offline, ...r.live]
  const worst = median(r.offline.map((x) => x.listMs))
  const worstLive = r.live.length ? median(r.live.map((x) => x.listMs)) : NaN
  lines.push(
    '',
    `- Open (create + start + first list), target < ${OPEN_TARGET_MS} ms: offline median ${ms(worst, 1)} (max ${ms(Math.max(...r.offline.map((x) => x.listMs)), 1)})` +
      (r.live.length ? `, live median ${ms(worstLive, 1)} (max ${ms(Math.max(...r.live.map((x) => x.listMs)), 1)})` : '') +
      `: **${all.every((x) => x.listMs < OPEN_TARGET_MS) ? 'met' : median(all.map((x) => x.listMs)) < OPEN_TARGET_MS ? 'met at the median, missed at the max' : 'missed'}**.`,
    `- Of the open, \`ClientCore.create\` took ${ms(median(all.map((x) => x.createMs)), 1)} and \`core.start()\` ${ms(median(all.map((x) => x.startMs)), 1)} (medians); opening reads accounts.json, secrets.json and meta.json only, no chunk file. The first page reads one chunk file (${fmt(r.cacheBytes / r.chunkFiles / 1024)} KiB, ${CHUNK_SIZE} messages).`,
    `- Node plus tsx's loader took ${ms(median(all.map((x) => x.bootMs)))} before the child's first line ran, and importing the core ${ms(median(all.map((x) => x.importMs)))}; the app loads the core bundled, so neither is part of the target.`
  )
  if (r.profile) {
    lines.push(
      '',
      `Where an open goes: one extra offline open (not in the table) in a fresh child under the V8 sampling profiler (200 µs), ` +
        `from before \`ClientCore.create\` to the first page.`,
      '',
      ...renderProfile(r.profile)
    )
  }
  return lines
}

export function renderClient(catchUp: CatchUpResult | null, openResult: OpenResult | null, config: ClientConfig, m: Machine): string {
  const lines = [
    CLIENT_HEADING,
    '',
    '`npm run bench:client` (both parts; `BENCH_CLIENT_PART=catchup` or `open` runs one). Sizes and run counts are environment ' +
      'variables (see the top of test/bench/client-bench.ts).',
    '',
    `Measured ${describeMachine(m)}.`,
    ''
  ]
  if (catchUp) lines.push(...renderCatchUp(catchUp, config), '')
  if (openResult) lines.push(...renderOpen(openResult), '')
  return lines.join('\n')
}

export function updateClientDoc(body: string, path = DOC_PATH): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = doc.indexOf(CLIENT_HEADING)
  if (start === -1) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${body}`)
    return
  }
  const next = doc.indexOf('\n## ', start + CLIENT_HEADING.length)
  const rest = next === -1 ? '' : doc.slice(next + 1)
  writeFileSync(path, `${doc.slice(0, start)}${body}${rest ? `\n${rest}` : ''}`)
}

async function main(): Promise<void> {
  const config = clientConfig()
  const started = performance.now()
  log(`client benchmark: ${describeMachine(machine())}`)
  let catchUp: CatchUpResult | null = null
  let openResult: OpenResult | null = null
  try {
    if (config.part !== 'open') {
      log(`catch-up: ${fmt(config.missed)} missed messages, ${config.runs} runs`)
      catchUp = await runCatchUp(config)
    }
    if (config.part !== 'catchup') {
      log(`cold open: ${config.conversations} × ${fmt(config.perConversation)} cached messages, ${config.openRuns} runs`)
      openResult = await runOpen(config)
    }
  } finally {
    for (const child of [...children]) await child.stop(5_000).catch(() => undefined)
    if (process.env['BENCH_KEEP_DATA'] === '1') log(`kept ${[...tempDirs].join(', ')}`)
    else for (const dir of tempDirs) await rm(dir, { recursive: true, force: true })
  }
  const body = renderClient(catchUp, openResult, config, machine())
  log(`\n${body}`)
  if (process.env['BENCH_CLIENT_NO_DOC'] !== '1') {
    updateClientDoc(body)
    log(`updated ${relative(process.cwd(), DOC_PATH)} in ${fmt((performance.now() - started) / 1000)} s`)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  }
)
