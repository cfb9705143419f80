// Part 3 (BENCH_PART=cluster): what delivering across two nodes costs against
// one node, in the same run. Every contender is our server on PostgreSQL with
// a fresh database of its own; each node runs alone in a child process
// (fanout-server.ts); the ones with Redis get a private redis-server each
// (Socket.IO's channels are global to a Redis server). The contenders take
// turns window by window, so background load hits all alike.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis'
import { merge, newHistogram, percentile } from '../load/histogram'
import type { ClusterClient, ClusterKind, ClusterLoadMark, ClusterPhase } from './cluster-types'
import { addPgCpu, adminDatabaseUrl, type BenchDatabase, createBenchDatabase, describePostgres, noPgCpu, PgCpu, type PgCpuSample, type PgCpuUsed } from './engines'
import type { ServerMark, ServerStart } from './fanout-types'
import { RedisCpu } from './redis-cpu'
import { interleave, measureWindow, type RoundsConfig, roundsConfig, type WindowCounts, withRigs } from './rounds'
import { Child } from './rpc'
import { api, cpuUs, createGroup, envNumber, log, machineCores, machineCpuTimes, mapLimit, registerUsers } from './util'

export interface ClusterConfig extends RoundsConfig {
  clients: number
  groupSize: number
  /** Messages/s of all senders together in the fixed-rate phase. */
  rate: number
  /** Sends in flight per sender in the saturated phase; 0 leaves that phase out. */
  inflight: number
  kinds: ClusterKind[]
}

const KINDS: ClusterKind[] = ['single', 'single-redis', 'two']

export function clusterConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const kinds = (env['BENCH_CLUSTER_KINDS'] || KINDS.join(',')).split(',') as ClusterKind[]
  for (const k of kinds) if (!KINDS.includes(k)) throw new Error(`BENCH_CLUSTER_KINDS: ${k} is not one of ${KINDS.join(', ')}`)
  if (kinds[0] !== 'single') throw new Error('BENCH_CLUSTER_KINDS must start with single: the others are compared with it')
  return {
    clients: envNumber('BENCH_CLUSTER_CLIENTS', 200),
    groupSize: envNumber('BENCH_CLUSTER_GROUP_SIZE', 10),
    ...roundsConfig(),
    rate: envNumber('BENCH_CLUSTER_RATE', 200),
    inflight: envNumber('BENCH_CLUSTER_INFLIGHT', 4),
    kinds
  }
}

export const nodeCount = (kind: ClusterKind): number => (kind === 'two' ? 2 : 1)

/** One measurement window of one contender. */
interface Round extends WindowCounts {
  /** Per node. */
  nodeCpuUs: number[]
  /** NaN without Redis. */
  redisCpuUs: number
  db: PgCpuUsed
  delivery: Uint32Array
  ack: Uint32Array
}

export interface RoundFigures {
  deliveriesPerSec: number
  nodesCpuPerDeliveryUs: number
  deliveryP50: number
  deliveryP99: number
}

export interface ClusterResult {
  kind: ClusterKind
  phase: ClusterPhase
  seconds: number
  deliveriesPerSec: number
  acksPerSec: number
  errors: number
  skipped: number
  /** CPU of all the contender's node processes (user + system, all threads) per delivery, µs. */
  nodesCpuPerDeliveryUs: number
  nodeCores: number[]
  /** redis-server's CPU per delivery (INFO used_cpu_sys + used_cpu_user), µs; NaN without Redis. */
  redisCpuPerDeliveryUs: number
  redisCores: number
  /** PostgreSQL's CPU for the contender's database (backends + the cluster's auxiliary processes) per delivery, µs. */
  dbCpuPerDeliveryUs: number
  dbCores: number
  dbGone: number
  loadgenCores: number
  otherCores: number
  /** Send to `message:new` on a receiver. */
  deliveryP50: number
  deliveryP99: number
  ackP50: number
  ackP99: number
  rounds: RoundFigures[]
}

export interface ClusterComparison {
  phase: ClusterPhase
  /** In the order of config.kinds, 'single' first. */
  results: ClusterResult[]
}

export interface ClusterRunResult {
  config: ClusterConfig
  /** The checkout's commit, short (the working tree may hold more). */
  commit: string
  postgres: string
  redis: string
  fixedRate: ClusterComparison
  saturated: ClusterComparison | null
}

interface Marks {
  nodes: ServerMark[]
  loads: ClusterLoadMark[]
  machine: ReturnType<typeof machineCpuTimes>
  db: PgCpuSample
  redisUs: number
}

class Rig {
  private readonly nodes: Child[] = []
  private readonly loadgens: Child[] = []
  private db: BenchDatabase | null = null
  private pgCpu: PgCpu | null = null
  private redis: PrivateRedis | null = null
  private redisCpu: RedisCpu | null = null

  private constructor(
    readonly kind: ClusterKind,
    private readonly config: ClusterConfig
  ) {}

  static async start(kind: ClusterKind, config: ClusterConfig): Promise<Rig> {
    const rig = new Rig(kind, config)
    try {
      await rig.setUp()
      return rig
    } catch (err) {
      await rig.stop()
      throw err
    }
  }

  private async setUp(): Promise<void> {
    const { kind, config } = this
    this.db = await createBenchDatabase(`cluster${kind.replace('-', '')}`)
    this.pgCpu = await PgCpu.open(this.db.url)
    if (kind !== 'single') {
      this.redis = await startPrivateRedis()
      this.redisCpu = await RedisCpu.open(this.redis.url)
    }
    const urls: string[] = []
    // One at a time: the first node applies the migrations the second then finds done.
    for (let i = 0; i < nodeCount(kind); i++) {
      const node = new Child(join(import.meta.dirname, 'fanout-server.ts'), `${kind} node ${i + 1}`)
      this.nodes.push(node)
      const start: ServerStart = { kind: 'postgres', databaseUrl: this.db.url, ...(this.redis ? { redisUrl: this.redis.url } : {}) }
      urls.push(`http://127.0.0.1:${await node.call<number>('start', start)}`)
    }
    const [first] = urls
    const last = urls[urls.length - 1]!
    const users = await registerUsers(first!, 'c', config.clients)
    const clients: ClusterClient[][] = Array.from({ length: config.loadgens }, () => [])
    for (let g = 0; g * config.groupSize < users.length; g++) {
      const members = users.slice(g * config.groupSize, (g + 1) * config.groupSize)
      const conversationId = await createGroup(first!, members, `cluster group ${g}`)
      // The sender on the first node, its receivers on the last; a whole group in one load generator, so one clock times it.
      const receiverTokens = await mapLimit(members.slice(1), 4, (_, i) =>
        last === first ? Promise.resolve(members[i + 1]!.accessToken) : login(last, `bench_c${g * config.groupSize + i + 1}`)
      )
      clients[g % config.loadgens]!.push(
        { url: first!, token: members[0]!.accessToken, conversationId, sender: true },
        ...receiverTokens.map((token) => ({ url: last, token, conversationId, sender: false }))
      )
    }
    for (let i = 0; i < config.loadgens; i++) this.loadgens.push(new Child(join(import.meta.dirname, 'cluster-loadgen.ts'), `${kind} load generator ${i}`))
    const connected = await Promise.all(this.loadgens.map((l, i) => l.call<number>('connect', { clients: clients[i], textBytes: config.textBytes })))
    log(`  ${kind}: node pids ${this.nodes.map((n) => n.pid).join(', ')}; ${connected.reduce((a, b) => a + b, 0)} sockets connected`)
  }

  async measure(phase: ClusterPhase, durationMs: number): Promise<Round> {
    const { before, after } = await measureWindow(this.loadgens, phase, this.config.warmupMs, durationMs, () => this.mark())
    const delivery = newHistogram()
    const ack = newHistogram()
    for (const l of after.loads) {
      merge(delivery, l.delivery)
      merge(ack, l.ack)
    }
    const sum = (pick: (m: ClusterLoadMark) => number): number => after.loads.reduce((n, m) => n + pick(m), 0)
    return {
      seconds: (after.nodes[0]!.at - before.nodes[0]!.at) / 1000,
      deliveries: sum((m) => m.deliveries),
      acks: sum((m) => m.acks),
      errors: sum((m) => m.errors),
      skipped: sum((m) => m.skipped),
      nodeCpuUs: after.nodes.map((n, i) => cpuUs(n.cpu) - cpuUs(before.nodes[i]!.cpu)),
      redisCpuUs: after.redisUs - before.redisUs,
      db: this.pgCpu!.used(before.db, after.db),
      loadgenCpuUs: after.loads.reduce((n, m, i) => n + cpuUs(m.cpu) - cpuUs(before.loads[i]!.cpu), 0),
      machineCores: machineCores(before.machine, after.machine),
      delivery,
      ack
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.all(this.loadgens.map((l) => l.stop()))
      for (const n of this.nodes.reverse()) await n.stop()
    } finally {
      await this.redisCpu?.close()
      await this.redis?.destroy()
      await this.pgCpu?.close()
      await this.db?.drop()
    }
  }

  /** The load generators' counts restart at each mark: the first mark of a window drops the warm-up's. */
  private async mark(): Promise<Marks> {
    const machine = machineCpuTimes()
    const [db, redisUs, loads, nodes] = await Promise.all([
      this.pgCpu!.sample(),
      this.redisCpu?.sample() ?? NaN,
      Promise.all(this.loadgens.map((l) => l.call<ClusterLoadMark>('mark'))),
      Promise.all(this.nodes.map((n) => n.call<ServerMark>('mark')))
    ])
    return { nodes, loads, machine, db, redisUs }
  }
}

async function login(url: string, username: string): Promise<string> {
  const res = await api<{ accessToken: string }>(url, 'POST', '/auth/login', { username, password: 'bench-password' })
  return res.accessToken
}

function summarize(kind: ClusterKind, phase: ClusterPhase, rounds: Round[]): ClusterResult {
  const total = (pick: (r: Round) => number): number => rounds.reduce((n, r) => n + pick(r), 0)
  const seconds = total((r) => r.seconds)
  const deliveries = total((r) => r.deliveries)
  const nodesCpuUs = total((r) => r.nodeCpuUs.reduce((a, b) => a + b, 0))
  const redisCpuUs = total((r) => r.redisCpuUs)
  const db = rounds.map((r) => r.db).reduce(addPgCpu, noPgCpu)
  const delivery = newHistogram()
  const ack = newHistogram()
  for (const r of rounds) {
    for (let i = 0; i < delivery.length; i++) {
      delivery[i]! += r.delivery[i]!
      ack[i]! += r.ack[i]!
    }
  }
  const nodeCores = rounds[0]!.nodeCpuUs.map((_, i) => total((r) => r.nodeCpuUs[i]!) / 1e6 / seconds)
  const redisCores = redisCpuUs / 1e6 / seconds
  const dbCores = (db.backendUs + db.auxUs) / 1e6 / seconds
  const loadgenCores = total((r) => r.loadgenCpuUs) / 1e6 / seconds
  const ours = nodeCores.reduce((a, b) => a + b, 0) + (Number.isFinite(redisCores) ? redisCores : 0) + dbCores + loadgenCores
  return {
    kind,
    phase,
    seconds,
    deliveriesPerSec: deliveries / seconds,
    acksPerSec: total((r) => r.acks) / seconds,
    errors: total((r) => r.errors),
    skipped: total((r) => r.skipped),
    nodesCpuPerDeliveryUs: nodesCpuUs / deliveries,
    nodeCores,
    redisCpuPerDeliveryUs: redisCpuUs / deliveries,
    redisCores,
    dbCpuPerDeliveryUs: (db.backendUs + db.auxUs) / deliveries,
    dbCores,
    dbGone: db.gone,
    loadgenCores,
    otherCores: total((r) => r.machineCores * r.seconds) / seconds - ours,
    deliveryP50: percentile(delivery, 0.5),
    deliveryP99: percentile(delivery, 0.99),
    ackP50: percentile(ack, 0.5),
    ackP99: percentile(ack, 0.99),
    rounds: rounds.map((r) => ({
      deliveriesPerSec: r.deliveries / r.seconds,
      nodesCpuPerDeliveryUs: r.nodeCpuUs.reduce((a, b) => a + b, 0) / r.deliveries,
      deliveryP50: percentile(r.delivery, 0.5),
      deliveryP99: percentile(r.delivery, 0.99)
    }))
  }
}

export function describeClusterLoad(phase: ClusterPhase, config: ClusterConfig): string {
  const senders = Math.ceil(config.clients / config.groupSize)
  return phase.mode === 'closed'
    ? `saturated (${phase.inflight} in flight per sender)`
    : `fixed ${fmtRate(phase.perSenderRate * senders)} msg/s (${fmtRate(phase.perSenderRate * senders * (config.groupSize - 1))} deliveries/s)`
}

const fmtRate = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 0 })

/** Every contender under the same load, window by window (rounds.ts). */
async function compare(rigs: Rig[], phase: ClusterPhase, config: ClusterConfig): Promise<ClusterComparison> {
  log(`  ${describeClusterLoad(phase, config)}`)
  const rounds = await interleave(rigs, phase, config, (kind, round, i) => {
    const nodesUs = round.nodeCpuUs.reduce((a, b) => a + b, 0) / round.deliveries
    const redis = Number.isFinite(round.redisCpuUs) ? `, Redis ${(round.redisCpuUs / round.deliveries).toFixed(1)} µs` : ''
    log(
      `    round ${i + 1} ${kind}: ${(round.deliveries / round.seconds).toFixed(0)} deliveries/s, nodes ${nodesUs.toFixed(1)} µs CPU/delivery${redis}, ` +
        `delivery p50 ${percentile(round.delivery, 0.5).toFixed(1)} ms p99 ${percentile(round.delivery, 0.99).toFixed(1)} ms, errors ${round.errors}`
    )
  })
  return { phase, results: rigs.map((r) => summarize(r.kind, phase, rounds.get(r.kind)!)) }
}

export async function runCluster(config = clusterConfig()): Promise<ClusterRunResult> {
  const senders = Math.ceil(config.clients / config.groupSize)
  log(
    `several nodes: ${config.kinds.join(', ')}; ${config.clients} clients in ${senders} groups of ${config.groupSize} (one sender each), ` +
      `${config.loadgens} load generators per contender, ${config.rounds} rounds of ${config.warmupMs / 1000} s warm-up + ` +
      `${config.durationMs / config.rounds / 1000} s measured`
  )
  const postgres = await describePostgres(adminDatabaseUrl())
  const redis = redisVersion()
  log(`  ${postgres}; ${redis}`)
  return withRigs(config.kinds, (kind) => Rig.start(kind, config), async (rigs) => {
    const fixedRate = await compare(rigs, { mode: 'rate', perSenderRate: config.rate / senders, maxInflight: 64 }, config)
    const saturated = config.inflight > 0 ? await compare(rigs, { mode: 'closed', inflight: config.inflight }, config) : null
    return { config, commit: headCommit(), postgres, redis, fixedRate, saturated }
  })
}

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: import.meta.dirname, encoding: 'utf8' }).trim()
  } catch {
    // not a git checkout
    return 'unknown'
  }
}

function redisVersion(): string {
  const out = execFileSync('redis-server', ['--version'], { encoding: 'utf8' })
  return `Redis ${/v=([0-9.]+)/.exec(out)?.[1] ?? 'unknown version'}`
}
