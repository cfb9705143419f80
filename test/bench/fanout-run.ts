// Part 1: fan-out throughput of our server against a bare Socket.IO server.
// The server under test and the load generators each run in their own child
// process; this process only orchestrates. Our server runs on the engines
// BENCH_ENGINE names (data directory, PostgreSQL or both) and, with
// BENCH_BASELINE_DIR, also at an older commit: all contenders alternate
// window by window.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { addPgCpu, adminDatabaseUrl, baseline, type Baseline, type BenchDatabase, benchEngines, createBenchDatabase, describePostgres, type Engine, noPgCpu, PgCpu, type PgCpuUsed } from './engines'
import type { ClientSpec, LoadMark, Phase, ServerKind, ServerMark, ServerStart } from './fanout-types'
import { interleave, measureWindow, type RoundsConfig, roundsConfig, type WindowCounts, withRigs } from './rounds'
import { Child } from './rpc'
import { cpuUs, createGroup, envNumber, log, machineCores, machineCpuTimes, quantile, registerUsers } from './util'

export interface FanoutConfig extends RoundsConfig {
  clients: number
  groupSize: number
  inflight: number
  /** The equal-load phase runs at this fraction of the slower server's saturated rate... */
  rateFraction: number
  /** ...unless a per-client rate (messages/s) is given. */
  fixedRate: number
  /** Directory for V8 CPU profiles of the servers (--cpu-prof; the file names carry the pids logged), if set. */
  profileDir: string
  engines: Engine[]
  baseline: Baseline | null
}

export function fanoutConfig(): FanoutConfig {
  return {
    clients: envNumber('BENCH_CLIENTS', 200),
    groupSize: envNumber('BENCH_GROUP_SIZE', 10),
    ...roundsConfig(),
    inflight: envNumber('BENCH_INFLIGHT', 2),
    rateFraction: envNumber('BENCH_RATE_FRACTION', 0.5),
    fixedRate: envNumber('BENCH_RATE', 0),
    profileDir: process.env['BENCH_PROFILE_DIR'] ?? '',
    engines: benchEngines(),
    baseline: baseline()
  }
}

/** The contenders of a run, the bare server first. */
export function contenders(config: Pick<FanoutConfig, 'engines' | 'baseline'>): ServerKind[] {
  if (config.baseline && !config.engines.includes('data-dir')) {
    throw new Error('BENCH_BASELINE_DIR compares with our server on the data directory: use BENCH_ENGINE=data-dir or both')
  }
  return [
    'bare',
    ...(config.engines.includes('data-dir') ? (['real'] as const) : []),
    ...(config.baseline ? (['baseline'] as const) : []),
    ...(config.engines.includes('postgres') ? (['postgres'] as const) : [])
  ]
}

/** One measurement window. */
interface Round extends WindowCounts {
  serverCpuUs: number
  eluActive: number
  eluIdle: number
  /** PostgreSQL's CPU for this server's database (zero for the others). */
  db: PgCpuUsed
  latencies: number[]
}

export interface PhaseResult {
  server: ServerKind
  phase: Phase
  seconds: number
  deliveriesPerSec: number
  /** Deliveries/s of each round, in order. */
  roundRates: number[]
  acksPerSec: number
  errors: number
  skipped: number
  /** Server CPU (user + system, all threads) per delivered message, µs. */
  cpuPerDeliveryUs: number
  serverCores: number
  serverLoopBusy: number
  loadgenCores: number
  /**
   * PostgreSQL's CPU per delivery, µs: the backends serving this server's
   * database plus the cluster's auxiliary processes (WAL writer,
   * checkpointer, …); NaN for servers without a database.
   */
  dbCpuPerDeliveryUs: number
  /** Of which the auxiliary processes. */
  dbAuxPerDeliveryUs: number
  dbCores: number
  /** Backends that ended during a window (their CPU in it is missing). */
  dbGone: number
  /** CPU used by everything else on the machine meanwhile (other jobs, the kernel's share not charged to us). */
  otherCores: number
  ackP50: number
  ackP99: number
}

export interface Comparison {
  /** One per contender, in the order of `contenders()`. */
  results: PhaseResult[]
  /** Each contender's deliveries/s over the bare server's, window by window (round i of both). */
  roundRatios: Partial<Record<ServerKind, number[]>>
}

/** A contender's result; throws if it did not run. */
export function resultOf(c: Comparison, kind: ServerKind): PhaseResult {
  const r = c.results.find((x) => x.server === kind)
  if (!r) throw new Error(`no ${kind} server in this run`)
  return r
}

export const ran = (c: Comparison, kind: ServerKind): boolean => c.results.some((x) => x.server === kind)

export interface FanoutResult {
  config: FanoutConfig
  /** The PostgreSQL server and its commit settings, when it ran. */
  postgres: string | null
  saturated: Comparison
  equalLoad: Comparison
}

class Rig {
  private db: BenchDatabase | null = null
  private pgCpu: PgCpu | null = null

  private constructor(
    readonly kind: ServerKind,
    private readonly server: Child,
    private readonly loadgens: Child[],
    private readonly config: FanoutConfig
  ) {}

  static async start(kind: ServerKind, config: FanoutConfig): Promise<Rig> {
    const prof = config.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.profileDir}`] : []
    const server = new Child(join(import.meta.dirname, 'fanout-server.ts'), `${kind} server`, prof)
    const loadgens: Child[] = []
    const rig = new Rig(kind, server, loadgens, config)
    try {
      const start: ServerStart = { kind }
      if (kind === 'postgres') {
        rig.db = await createBenchDatabase('fanout')
        rig.pgCpu = await PgCpu.open(rig.db.url)
        start.databaseUrl = rig.db.url
      }
      if (kind === 'baseline') start.baselineDir = config.baseline!.dir
      const port = await server.call<number>('start', start)
      const url = `http://127.0.0.1:${port}`
      const specs = kind === 'bare' ? bareClients(config) : await realClients(url, config)
      for (let i = 0; i < config.loadgens; i++) {
        loadgens.push(new Child(join(import.meta.dirname, 'fanout-loadgen.ts'), `${kind} load generator ${i}`))
      }
      const connected = await Promise.all(
        loadgens.map((l, i) =>
          l.call<number>('connect', { url, textBytes: config.textBytes, clients: specs.filter((_, c) => c % loadgens.length === i) })
        )
      )
      log(`  ${kind} server (pid ${server.pid}): ${connected.reduce((a, b) => a + b, 0)} clients connected`)
      return rig
    } catch (err) {
      await rig.stop()
      throw err
    }
  }

  async measure(phase: Phase, durationMs: number): Promise<Round> {
    const { before, after } = await measureWindow(this.loadgens, phase, this.config.warmupMs, durationMs, (last) => this.mark(last))
    const db = this.pgCpu && before.db && after.db ? this.pgCpu.used(before.db, after.db) : noPgCpu

    const seconds = (after.server.at - before.server.at) / 1000
    const sum = (pick: (m: LoadMark) => number): number =>
      after.loads.reduce((n, m, i) => n + pick(m) - pick(before.loads[i]!), 0)
    return {
      seconds,
      deliveries: sum((m) => m.deliveries),
      acks: sum((m) => m.acks),
      errors: sum((m) => m.errors),
      skipped: sum((m) => m.skipped),
      serverCpuUs: cpuUs(after.server.cpu) - cpuUs(before.server.cpu),
      eluActive: after.server.elu.active - before.server.elu.active,
      eluIdle: after.server.elu.idle - before.server.elu.idle,
      loadgenCpuUs: sum((m) => cpuUs(m.cpu)),
      machineCores: machineCores(before.machine, after.machine),
      db,
      latencies: after.loads.flatMap((m) => m.latencies)
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.all(this.loadgens.map((l) => l.stop()))
      await this.server.stop()
    } finally {
      await this.pgCpu?.close()
      await this.db?.drop()
    }
  }

  private async mark(withLatencies: boolean): Promise<{
    server: ServerMark
    loads: LoadMark[]
    machine: ReturnType<typeof machineCpuTimes>
    db: Awaited<ReturnType<PgCpu['sample']>> | null
  }> {
    const machine = machineCpuTimes()
    const [db, server, ...loads] = await Promise.all([
      this.pgCpu?.sample() ?? null,
      this.server.call<ServerMark>('mark'),
      ...this.loadgens.map((l) => l.call<LoadMark>('mark', { withLatencies }))
    ])
    return { server, loads, machine, db }
  }
}

function summarize(server: ServerKind, phase: Phase, rounds: Round[]): PhaseResult {
  const total = (pick: (r: Round) => number): number => rounds.reduce((n, r) => n + pick(r), 0)
  const seconds = total((r) => r.seconds)
  const deliveries = total((r) => r.deliveries)
  const serverCores = total((r) => r.serverCpuUs) / 1e6 / seconds
  const loadgenCores = total((r) => r.loadgenCpuUs) / 1e6 / seconds
  const db = rounds.map((r) => r.db).reduce(addPgCpu, noPgCpu)
  const hasDb = server === 'postgres'
  const dbCores = hasDb ? (db.backendUs + db.auxUs) / 1e6 / seconds : NaN
  const latencies = rounds.flatMap((r) => r.latencies)
  const result: PhaseResult = {
    server,
    phase,
    seconds,
    deliveriesPerSec: deliveries / seconds,
    roundRates: rounds.map((r) => r.deliveries / r.seconds),
    acksPerSec: total((r) => r.acks) / seconds,
    errors: total((r) => r.errors),
    skipped: total((r) => r.skipped),
    cpuPerDeliveryUs: total((r) => r.serverCpuUs) / deliveries,
    serverCores,
    serverLoopBusy: total((r) => r.eluActive) / total((r) => r.eluActive + r.eluIdle),
    loadgenCores,
    dbCpuPerDeliveryUs: hasDb ? (db.backendUs + db.auxUs) / deliveries : NaN,
    dbAuxPerDeliveryUs: hasDb ? db.auxUs / deliveries : NaN,
    dbCores,
    dbGone: db.gone,
    otherCores: total((r) => r.machineCores * r.seconds) / seconds - serverCores - loadgenCores - (Number.isFinite(dbCores) ? dbCores : 0),
    ackP50: quantile(latencies, 0.5),
    ackP99: quantile(latencies, 0.99)
  }
  return result
}

/** Every server under the same load, window by window (rounds.ts). */
async function compare(rigs: Rig[], phase: Phase, config: FanoutConfig): Promise<Comparison> {
  const rounds = await interleave(rigs, phase, config, (kind, round, i) => {
    const db = kind === 'postgres' ? `, PostgreSQL ${((round.db.backendUs + round.db.auxUs) / round.deliveries).toFixed(1)} µs CPU/delivery` : ''
    log(`    round ${i + 1} ${kind}: ${(round.deliveries / round.seconds).toFixed(0)} deliveries/s${db}`)
  })
  const rate = (r: Round): number => r.deliveries / r.seconds
  const bare = rounds.get('bare')!
  const result: Comparison = { results: rigs.map((r) => summarize(r.kind, phase, rounds.get(r.kind)!)), roundRatios: {} }
  for (const [kind, rs] of rounds) if (kind !== 'bare') result.roundRatios[kind] = rs.map((r, i) => rate(r) / rate(bare[i]!))
  for (const r of result.results) log(`  ${describePhase(r)}`)
  return result
}

/** Registers one user per client and puts them in groups through the REST API. */
async function realClients(url: string, config: FanoutConfig): Promise<ClientSpec[]> {
  const users = await registerUsers(url, 'f', config.clients)
  const specs: ClientSpec[] = []
  for (let start = 0; start < users.length; start += config.groupSize) {
    const members = users.slice(start, start + config.groupSize)
    const conversationId = await createGroup(url, members, `bench group ${start / config.groupSize}`)
    for (const m of members) specs.push({ conversationId, token: m.accessToken })
  }
  return specs
}

function bareClients(config: FanoutConfig): ClientSpec[] {
  const specs: ClientSpec[] = []
  for (let start = 0; start < config.clients; start += config.groupSize) {
    const conversationId = randomUUID()
    for (let i = start; i < Math.min(config.clients, start + config.groupSize); i++) specs.push({ conversationId })
  }
  return specs
}

export function describeLoad(phase: Phase): string {
  return phase.mode === 'closed'
    ? `saturated (${phase.inflight} in flight per client)`
    : `fixed ${phase.perSenderRate.toFixed(1)} msg/s per client`
}

function describePhase(r: PhaseResult): string {
  return (
    `${r.server} ${describeLoad(r.phase)}: ${r.deliveriesPerSec.toFixed(0)} deliveries/s, ` +
    `${r.cpuPerDeliveryUs.toFixed(1)} µs server CPU/delivery, server ${r.serverCores.toFixed(2)} cores ` +
    `(loop ${(r.serverLoopBusy * 100).toFixed(0)}% busy), ` +
    (r.server === 'postgres'
      ? `PostgreSQL ${r.dbCpuPerDeliveryUs.toFixed(1)} µs CPU/delivery (${r.dbAuxPerDeliveryUs.toFixed(1)} µs of it auxiliary processes; ` +
        `${r.dbCores.toFixed(2)} cores${r.dbGone ? `, ${r.dbGone} backends ended mid-window` : ''}), `
      : '') +
    `load-gen ${r.loadgenCores.toFixed(2)} cores, other ${r.otherCores.toFixed(2)} cores, ` +
    `ack p50 ${r.ackP50.toFixed(1)} ms p99 ${r.ackP99.toFixed(1)} ms, errors ${r.errors}, skipped ${r.skipped}`
  )
}

export async function runFanout(config = fanoutConfig()): Promise<FanoutResult> {
  const groups = Math.ceil(config.clients / config.groupSize)
  const kinds = contenders(config)
  log(
    `fan-out: ${kinds.join(', ')}${config.baseline ? ` (baseline ${config.baseline.commit} in ${config.baseline.dir})` : ''}; ` +
      `${config.clients} clients in ${groups} groups of ${config.groupSize}, ${config.loadgens} load generators per server, ` +
      `${config.rounds} alternating rounds of ${config.warmupMs / 1000} s warm-up + ${config.durationMs / config.rounds / 1000} s measured`
  )
  const postgres = kinds.includes('postgres') ? await describePostgres(adminDatabaseUrl()) : null
  if (postgres) log(`  ${postgres}`)
  return withRigs(kinds, (kind) => Rig.start(kind, config), async (rigs) => {
    const saturated = await compare(rigs, { mode: 'closed', inflight: config.inflight }, config)
    // Equal offered load below every server's capacity, for CPU/delivery and latency.
    const slowest = Math.min(...saturated.results.map((r) => r.deliveriesPerSec))
    const perSenderRate = config.fixedRate || (slowest * config.rateFraction) / (config.groupSize - 1) / config.clients
    const equalLoad = await compare(rigs, { mode: 'rate', perSenderRate, maxInflight: 64 }, config)
    return { config, postgres, saturated, equalLoad }
  })
}
