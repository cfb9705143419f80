// Part 2: does a durable append get slower as history grows, and how long does
// a server with 1M stored messages take to start? On every engine BENCH_ENGINE
// names (and, with BENCH_BASELINE_DIR, the data directory at an older
// commit), all measured in one run, taking turns.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ServerModule from '../../server'
import { adminDatabaseUrl, baseline, type Baseline, type BenchDatabase, baselineModule, benchEngines, createBenchDatabase, describePostgres, type Engine, keepData, sameAsBaseline } from './engines'
import { Child } from './rpc'
import { writeHistory } from './store-data'
import { describeDatabase, migrateDatabase, writePgHistory } from './store-pg-data'
import type { AppendProbe, BatchSample, FirstSample, StartProbe, StartSample, StoreEngine } from './store-probe'
import { createGroup, envNumber, type BenchUser, log, machineCpuTimes, mean, median, quantile, registerUsers } from './util'

export interface StoreConfig {
  /** History sizes of the single-conversation layout. */
  levels: number[]
  /** Cold first appends per store (median reported). */
  rounds: number
  /** Sequential appends per store, in batches that alternate between the stores. */
  sequential: number
  batch: number
  concurrency: number
  /** Appends by the concurrent appenders per store, in alternating batches. */
  concurrentAppends: number
  concurrentBatch: number
  spreadConversations: number
  spreadSize: number
  startRuns: number
  keepData: boolean
  engines: Engine[]
  baseline: Baseline | null
}

/** The engines of a run, in the order they are reported: this checkout's data directory, the baseline's, PostgreSQL. */
export function storeEngines(config: Pick<StoreConfig, 'engines' | 'baseline'>): StoreEngine[] {
  if (config.baseline && !config.engines.includes('data-dir')) {
    throw new Error('BENCH_BASELINE_DIR compares with the data-directory engine: use BENCH_ENGINE=data-dir or both')
  }
  return [
    ...(config.engines.includes('data-dir') ? (['data-dir'] as const) : []),
    ...(config.baseline ? (['baseline'] as const) : []),
    ...(config.engines.includes('postgres') ? (['postgres'] as const) : [])
  ]
}

export function storeConfig(): StoreConfig {
  const levels = (process.env['BENCH_STORE_LEVELS'] ?? '1000,100000,1000000').split(',').map(Number)
  if (levels.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_STORE_LEVELS: comma-separated positive integers')
  return {
    levels: levels.sort((a, b) => a - b),
    rounds: Math.max(1, envNumber('BENCH_STORE_ROUNDS', 5)),
    sequential: envNumber('BENCH_APPENDS', 2000),
    batch: Math.max(1, envNumber('BENCH_APPEND_BATCH', 100)),
    concurrency: envNumber('BENCH_APPENDERS', 64),
    concurrentAppends: envNumber('BENCH_CONCURRENT_APPENDS', 64 * 100),
    concurrentBatch: Math.max(1, envNumber('BENCH_CONCURRENT_BATCH', 64 * 10)),
    spreadConversations: envNumber('BENCH_SPREAD_CONVERSATIONS', 100),
    spreadSize: envNumber('BENCH_SPREAD_SIZE', 10_000),
    startRuns: Math.max(1, envNumber('BENCH_START_RUNS', 3)),
    keepData: keepData(),
    engines: benchEngines(),
    baseline: baseline()
  }
}

export interface AppendResult {
  engine: StoreEngine
  /** Messages in the whole store. */
  stored: number
  /** Messages in the conversation appended to. */
  conversationSize: number
  layout: string
  /** Median of the cold first appends, and the longest event-loop stall among them. */
  firstMs: number
  firstStallMs: number
  rebuildMs: number
  rebuildStallMs: number
  meanMs: number
  p50Ms: number
  p99Ms: number
  /** CPU of the appending process per sequential append (excludes waiting for the disk). */
  cpuPerAppendUs: number
  appendsPerSec: number
  concurrentCpuPerAppendUs: number
  /** PostgreSQL: its CPU per append (backends of the database plus the cluster's auxiliary processes), and of that the auxiliary processes'; NaN elsewhere. */
  dbCpuPerAppendUs: number
  dbAuxPerAppendUs: number
  concurrentDbCpuPerAppendUs: number
}

export interface StartResult {
  engine: StoreEngine
  messages: number
  conversations: number
  runs: StartSample[]
}

export interface StoreResult {
  config: StoreConfig
  /** The PostgreSQL server and its commit settings, when it ran. */
  postgres: string | null
  /** With a baseline: whether its message store (server/store/messages) is the same code as this checkout's. */
  baselineSameStore: boolean | null
  /** Seconds to prepare each engine's stores. */
  prepareSeconds: Partial<Record<StoreEngine, number>>
  appends: AppendResult[]
  /** Cores busy with other work on the machine during the sequential appends (PostgreSQL's processes not counted as other). */
  otherCores: number
  starts: StartResult[]
}

interface Target {
  probe: AppendProbe
  stored: number
  layout: string
}

export const engineLabel: Record<StoreEngine, string> = { 'data-dir': 'data dir', baseline: 'data dir (baseline)', postgres: 'PostgreSQL' }

export function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`
  return String(n)
}

/** Where an engine keeps what a target appends to: a messages root, or a database (`databases` collects them for dropping). */
interface Place {
  engine: StoreEngine
  root: string
  baselineDir?: string
  databases: BenchDatabase[]
}

/** One conversation per level holding the whole store (on PostgreSQL: a database per level). */
async function prepareSingles(place: Place, config: StoreConfig): Promise<Target[]> {
  const targets: Target[] = []
  for (const stored of config.levels) {
    const conversationId = randomUUID()
    const senders = Array.from({ length: 10 }, () => randomUUID())
    const common = { engine: place.engine, conversationId, stored, senderId: senders[0]! }
    if (place.engine === 'postgres') {
      const db = await createBenchDatabase(`single${count(stored)}`)
      place.databases.push(db)
      await migrateDatabase(db.url)
      await writePgHistory(db.url, [conversationId], stored, senders)
      log(`    ${db.name}: ${await describeDatabase(db.url)}`)
      targets.push({ probe: { ...common, databaseUrl: db.url }, stored, layout: 'one conversation' })
    } else {
      const repoRoot = join(place.root, `single-${stored}`)
      await writeHistory(repoRoot, conversationId, stored, senders)
      targets.push({ probe: { ...common, root: repoRoot, baselineDir: place.baselineDir }, stored, layout: 'one conversation' })
    }
  }
  return targets
}

interface ServerData {
  dataDir: string
  databaseUrl?: string
  token: string
  conversations: string[]
  userId: string
}

/** A real data directory (users and groups made through the API by that engine's server), then history written into it. */
async function prepareServerData(place: Place, config: StoreConfig): Promise<ServerData> {
  const dataDir = join(place.root, 'server')
  let databaseUrl: string | undefined
  if (place.engine === 'postgres') {
    const db = await createBenchDatabase('server')
    place.databases.push(db)
    databaseUrl = db.url
  }
  const { createMessengerServer, silentLogger } =
    place.engine === 'baseline' ? await baselineModule<typeof ServerModule>({ dir: place.baselineDir! }, 'server/index.ts') : await import('../../server')
  const server = createMessengerServer({
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    scryptN: 2 ** 14,
    loginLimit: { windowMs: 60_000, max: 100_000 }
  })
  let users: BenchUser[]
  const conversations: string[] = []
  try {
    const { port } = await server.listen()
    const base = `http://127.0.0.1:${port}`
    users = await registerUsers(base, 's', 10)
    for (let i = 0; i < config.spreadConversations; i++) conversations.push(await createGroup(base, users, `history ${i}`))
  } finally {
    await server.close()
  }
  const ids = users.map((u) => u.id)
  if (databaseUrl) {
    await writePgHistory(databaseUrl, conversations, config.spreadSize, ids)
    log(`    server database: ${await describeDatabase(databaseUrl)}`)
  } else {
    for (const conversationId of conversations) await writeHistory(join(dataDir, 'messages'), conversationId, config.spreadSize, ids)
  }
  return { dataDir, ...(databaseUrl ? { databaseUrl } : {}), token: users[0]!.accessToken, conversations, userId: users[0]!.id }
}

const probeScript = join(import.meta.dirname, 'store-probe.ts')

async function inChild<T>(type: string, payload: unknown): Promise<T> {
  const child = new Child(probeScript, `store probe (${type})`)
  try {
    return await child.call<T>(type, payload)
  } finally {
    await child.stop()
  }
}

interface Samples {
  firsts: FirstSample[]
  rebuild: FirstSample
  latencies: number[]
  cpuUs: number
  dbUs: number
  dbAuxUs: number
  concurrentMs: number
  concurrentAppends: number
  concurrentCpuUs: number
  concurrentDbUs: number
}

/** Calls `fn` for every target, `cycles` times, rotating which target goes first. */
async function alternate(n: number, cycles: number, fn: (i: number, cycle: number) => Promise<void>): Promise<void> {
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (let k = 0; k < n; k++) await fn((k + cycle) % n, cycle)
  }
}

/** Measures every target with one long-lived process each, alternating small batches so background load hits all alike. */
async function measureAppends(targets: Target[], config: StoreConfig): Promise<{ samples: Samples[]; otherCores: number }> {
  const children = targets.map((t) => new Child(probeScript, `store probe ${engineLabel[t.probe.engine]} ${count(t.stored)} ${t.layout}`))
  const samples = targets.map(
    (): Samples => ({
      firsts: [],
      rebuild: { ms: NaN, stallMs: NaN },
      latencies: [],
      cpuUs: 0,
      dbUs: 0,
      dbAuxUs: 0,
      concurrentMs: 0,
      concurrentAppends: 0,
      concurrentCpuUs: 0,
      concurrentDbUs: 0
    })
  )
  const opened = async (): Promise<void> => {
    for (const [i, child] of children.entries()) {
      const vacuumMs = await child.call<number>('open', targets[i]!.probe)
      if (targets[i]!.probe.engine === 'postgres') log(`    ${engineLabel.postgres} ${count(targets[i]!.stored)} ${targets[i]!.layout}: vacuumed in ${vacuumMs.toFixed(0)} ms`)
    }
  }
  const each = (fn: (child: Child, target: Target, s: Samples) => Promise<void>) => async (i: number) =>
    fn(children[i]!, targets[i]!, samples[i]!)
  try {
    await alternate(targets.length, config.rounds, each(async (child, t, s) => {
      s.firsts.push(await child.call<FirstSample>('first', { probe: t.probe, dropIndex: false }))
    }))
    await alternate(targets.length, 1, each(async (child, t, s) => {
      // PostgreSQL keeps no dedupe index of its own to rebuild.
      if (t.probe.engine !== 'postgres') s.rebuild = await child.call<FirstSample>('first', { probe: t.probe, dropIndex: true })
    }))
    log(`  cold first appends done; ${config.sequential} sequential appends per store in batches of ${config.batch}`)

    await opened()
    const machineBefore = machineCpuTimes()
    const started = performance.now()
    await alternate(targets.length, Math.ceil(config.sequential / config.batch), each(async (child, _t, s) => {
      const batch = await child.call<BatchSample>('sequential', config.batch)
      s.latencies.push(...batch.latencies)
      s.cpuUs += batch.cpuUs
      s.dbUs += batch.dbUs ?? 0
      s.dbAuxUs += batch.dbAuxUs ?? 0
    }))
    const seconds = (performance.now() - started) / 1000
    const machineAfter = machineCpuTimes()
    // PostgreSQL's processes work for us too: not other load (NaN if they could not be measured).
    const dbCores = samples.reduce((n, s) => n + (Number.isFinite(s.dbUs) ? s.dbUs : 0), 0) / 1e6 / seconds
    const ownCores = samples.reduce((n, s) => n + s.cpuUs, 0) / 1e6 / seconds + dbCores
    const otherCores =
      machineBefore && machineAfter
        ? ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cpus().length - ownCores
        : NaN
    log(`  ${config.concurrentAppends} appends per store by ${config.concurrency} concurrent appenders`)

    await opened() // back to the prepared size
    await alternate(targets.length, Math.ceil(config.concurrentAppends / config.concurrentBatch), each(async (child, _t, s) => {
      const batch = await child.call<BatchSample>('concurrent', { n: config.concurrentBatch, appenders: config.concurrency })
      s.concurrentMs += batch.latencies[0]!
      s.concurrentAppends += config.concurrentBatch
      s.concurrentCpuUs += batch.cpuUs
      s.concurrentDbUs += batch.dbUs ?? 0
    }))
    for (const child of children) await child.call('close')
    return { samples, otherCores }
  } finally {
    await Promise.all(children.map((c) => c.stop()))
  }
}

function summarize(target: Target, s: Samples): AppendResult {
  const pg = target.probe.engine === 'postgres'
  return {
    engine: target.probe.engine,
    stored: target.stored,
    conversationSize: target.probe.stored,
    layout: target.layout,
    firstMs: median(s.firsts.map((f) => f.ms)),
    firstStallMs: Math.max(...s.firsts.map((f) => f.stallMs)),
    rebuildMs: s.rebuild.ms,
    rebuildStallMs: s.rebuild.stallMs,
    meanMs: mean(s.latencies),
    p50Ms: quantile(s.latencies, 0.5),
    p99Ms: quantile(s.latencies, 0.99),
    cpuPerAppendUs: s.cpuUs / s.latencies.length,
    appendsPerSec: s.concurrentAppends / (s.concurrentMs / 1000),
    concurrentCpuPerAppendUs: s.concurrentCpuUs / s.concurrentAppends,
    dbCpuPerAppendUs: pg ? s.dbUs / s.latencies.length : NaN,
    dbAuxPerAppendUs: pg ? s.dbAuxUs / s.latencies.length : NaN,
    concurrentDbCpuPerAppendUs: pg ? s.concurrentDbUs / s.concurrentAppends : NaN
  }
}

export async function runStoreGrowth(config = storeConfig()): Promise<StoreResult> {
  const engines = storeEngines(config)
  const root = await mkdtemp(join(tmpdir(), 'bench-store-'))
  const databases: BenchDatabase[] = []
  try {
    const spreadTotal = config.spreadConversations * config.spreadSize
    log(
      `store growth on ${engines.map((e) => engineLabel[e]).join(', ')}${config.baseline ? ` (baseline ${config.baseline.commit} in ${config.baseline.dir})` : ''}: ` +
        `preparing ${config.levels.map(count).join(', ')} single-conversation stores and a ${count(spreadTotal)} server store each, in ${root}`
    )
    const postgres = engines.includes('postgres') ? await describePostgres(adminDatabaseUrl()) : null
    if (postgres) log(`  ${postgres}`)
    const targets: Target[] = []
    const servers = new Map<StoreEngine, ServerData>()
    const prepareSeconds: StoreResult['prepareSeconds'] = {}
    for (const engine of engines) {
      const prepStarted = performance.now()
      const place: Place = { engine, root: join(root, engine), databases, ...(engine === 'baseline' ? { baselineDir: config.baseline!.dir } : {}) }
      targets.push(...(await prepareSingles(place, config)))
      const server = await prepareServerData(place, config)
      servers.set(engine, server)
      targets.push({
        probe: {
          engine,
          ...(server.databaseUrl ? { databaseUrl: server.databaseUrl } : { root: join(server.dataDir, 'messages'), baselineDir: place.baselineDir }),
          conversationId: server.conversations[0]!,
          stored: config.spreadSize,
          senderId: server.userId
        },
        stored: spreadTotal,
        layout: `${config.spreadConversations} × ${count(config.spreadSize)} conversations`
      })
      prepareSeconds[engine] = (performance.now() - prepStarted) / 1000
      log(`  ${engineLabel[engine]}: prepared in ${prepareSeconds[engine].toFixed(1)} s`)
    }

    const { samples, otherCores } = await measureAppends(targets, config)
    const appends = targets.map((t, i) => summarize(t, samples[i]!))
    for (const a of appends) {
      const db = a.engine === 'postgres' ? ` + PostgreSQL ${a.dbCpuPerAppendUs.toFixed(0)} µs (${a.dbAuxPerAppendUs.toFixed(0)} µs of it auxiliary)` : ''
      const concurrentDb = a.engine === 'postgres' ? ` + PostgreSQL ${a.concurrentDbCpuPerAppendUs.toFixed(0)} µs` : ''
      log(
        `    ${engineLabel[a.engine]} ${count(a.stored)} (${a.layout}): first ${a.firstMs.toFixed(1)} ms, rebuilt ${a.rebuildMs.toFixed(1)} ms, ` +
          `mean ${a.meanMs.toFixed(3)} ms, p50 ${a.p50Ms.toFixed(3)} ms, p99 ${a.p99Ms.toFixed(3)} ms, ` +
          `${a.cpuPerAppendUs.toFixed(0)} µs CPU/append${db}, ${a.appendsPerSec.toFixed(0)} concurrent appends/s (${a.concurrentCpuPerAppendUs.toFixed(0)} µs CPU each${concurrentDb})`
      )
    }
    log(`    other load on the machine: ${otherCores.toFixed(2)} cores`)

    // Start runs take turns between the engines too.
    const runs = new Map<StoreEngine, StartSample[]>(engines.map((e) => [e, []]))
    for (let i = 0; i < config.startRuns; i++) {
      for (const engine of engines) {
        const server = servers.get(engine)!
        const probe: StartProbe = {
          engine,
          dataDir: server.dataDir,
          ...(server.databaseUrl ? { databaseUrl: server.databaseUrl } : {}),
          ...(engine === 'baseline' ? { baselineDir: config.baseline!.dir } : {}),
          token: server.token,
          conversationId: server.conversations[1] ?? server.conversations[0]!
        }
        const run = await inChild<StartSample>('start', probe)
        log(
          `    ${engineLabel[engine]} start ${i + 1}: ${run.startMs.toFixed(0)} ms (+ import ${run.importMs.toFixed(0)} ms), ` +
            `list ${run.listMs.toFixed(0)} ms, first send ${run.firstSendMs.toFixed(0)} ms`
        )
        runs.get(engine)!.push(run)
      }
    }
    const starts = engines.map((engine): StartResult => ({ engine, messages: spreadTotal, conversations: config.spreadConversations, runs: runs.get(engine)! }))
    const baselineSameStore = config.baseline ? sameAsBaseline(config.baseline, 'server/store/messages') : null
    return { config, postgres, baselineSameStore, prepareSeconds, appends, otherCores, starts }
  } finally {
    if (config.keepData) log(`  data kept in ${root}${databases.length ? ` and databases ${databases.map((d) => d.name).join(', ')}` : ''}`)
    else await rm(root, { recursive: true, force: true })
    for (const db of databases) await db.drop()
  }
}
