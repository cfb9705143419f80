// Part 2: does a durable append get slower as history grows, and how long does
// a server with 1M stored messages take to start?
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessengerServer, silentLogger } from '../../server'
import { Child } from './rpc'
import { writeHistory } from './store-data'
import type { AppendProbe, BatchSample, FirstSample, StartSample } from './store-probe'
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
    keepData: process.env['BENCH_KEEP_DATA'] === '1'
  }
}

export interface AppendResult {
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
}

export interface StartResult {
  messages: number
  conversations: number
  runs: StartSample[]
}

export interface StoreResult {
  config: StoreConfig
  prepareSeconds: number
  appends: AppendResult[]
  /** Cores busy with other work on the machine during the sequential appends. */
  otherCores: number
  start: StartResult
}

interface Target {
  probe: AppendProbe
  stored: number
  layout: string
}

export function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`
  return String(n)
}

/** One conversation per level holding the whole store. */
async function prepareSingles(root: string, config: StoreConfig): Promise<Target[]> {
  const targets: Target[] = []
  for (const stored of config.levels) {
    const repoRoot = join(root, `single-${stored}`)
    const conversationId = randomUUID()
    const senders = Array.from({ length: 10 }, () => randomUUID())
    await writeHistory(repoRoot, conversationId, stored, senders)
    targets.push({ probe: { root: repoRoot, conversationId, stored, senderId: senders[0]! }, stored, layout: 'one conversation' })
  }
  return targets
}

/** A real data directory (users and groups made through the API), then history written into it. */
async function prepareServerData(dataDir: string, config: StoreConfig): Promise<{ token: string; conversations: string[]; userId: string }> {
  const server = createMessengerServer({
    dataDir,
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
  for (const conversationId of conversations) await writeHistory(join(dataDir, 'messages'), conversationId, config.spreadSize, ids)
  return { token: users[0]!.accessToken, conversations, userId: users[0]!.id }
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
  concurrentMs: number
  concurrentAppends: number
  concurrentCpuUs: number
}

/** Calls `fn` for every target, `cycles` times, rotating which target goes first. */
async function alternate(n: number, cycles: number, fn: (i: number, cycle: number) => Promise<void>): Promise<void> {
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (let k = 0; k < n; k++) await fn((k + cycle) % n, cycle)
  }
}

/** Measures every target with one long-lived process each, alternating small batches so background load hits all alike. */
async function measureAppends(targets: Target[], config: StoreConfig): Promise<{ samples: Samples[]; otherCores: number }> {
  const children = targets.map((t) => new Child(probeScript, `store probe ${count(t.stored)} ${t.layout}`))
  const samples = targets.map((): Samples => ({ firsts: [], rebuild: { ms: NaN, stallMs: NaN }, latencies: [], cpuUs: 0, concurrentMs: 0, concurrentAppends: 0, concurrentCpuUs: 0 }))
  const each = (fn: (child: Child, target: Target, s: Samples) => Promise<void>) => async (i: number) =>
    fn(children[i]!, targets[i]!, samples[i]!)
  try {
    await alternate(targets.length, config.rounds, each(async (child, t, s) => {
      s.firsts.push(await child.call<FirstSample>('first', { probe: t.probe, dropIndex: false }))
    }))
    await alternate(targets.length, 1, each(async (child, t, s) => {
      s.rebuild = await child.call<FirstSample>('first', { probe: t.probe, dropIndex: true })
    }))
    log(`  cold first appends done; ${config.sequential} sequential appends per store in batches of ${config.batch}`)

    for (const [i, child] of children.entries()) await child.call('open', targets[i]!.probe)
    const machineBefore = machineCpuTimes()
    const started = performance.now()
    await alternate(targets.length, Math.ceil(config.sequential / config.batch), each(async (child, _t, s) => {
      const batch = await child.call<BatchSample>('sequential', config.batch)
      s.latencies.push(...batch.latencies)
      s.cpuUs += batch.cpuUs
    }))
    const seconds = (performance.now() - started) / 1000
    const machineAfter = machineCpuTimes()
    const ownCores = samples.reduce((n, s) => n + s.cpuUs, 0) / 1e6 / seconds
    const otherCores =
      machineBefore && machineAfter
        ? ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cpus().length - ownCores
        : NaN
    log(`  ${config.concurrentAppends} appends per store by ${config.concurrency} concurrent appenders`)

    for (const [i, child] of children.entries()) await child.call('open', targets[i]!.probe) // back to the prepared size
    await alternate(targets.length, Math.ceil(config.concurrentAppends / config.concurrentBatch), each(async (child, _t, s) => {
      const batch = await child.call<BatchSample>('concurrent', { n: config.concurrentBatch, appenders: config.concurrency })
      s.concurrentMs += batch.latencies[0]!
      s.concurrentAppends += config.concurrentBatch
      s.concurrentCpuUs += batch.cpuUs
    }))
    for (const child of children) await child.call('close')
    return { samples, otherCores }
  } finally {
    await Promise.all(children.map((c) => c.stop()))
  }
}

function summarize(target: Target, s: Samples): AppendResult {
  return {
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
    concurrentCpuPerAppendUs: s.concurrentCpuUs / s.concurrentAppends
  }
}

export async function runStoreGrowth(config = storeConfig()): Promise<StoreResult> {
  const root = await mkdtemp(join(tmpdir(), 'bench-store-'))
  try {
    const spreadTotal = config.spreadConversations * config.spreadSize
    log(`store growth: preparing ${config.levels.map(count).join(', ')} single-conversation stores and a ${count(spreadTotal)} server data dir in ${root}`)
    const prepStarted = performance.now()
    const targets = await prepareSingles(root, config)
    const dataDir = join(root, 'server')
    const server = await prepareServerData(dataDir, config)
    targets.push({
      probe: { root: join(dataDir, 'messages'), conversationId: server.conversations[0]!, stored: config.spreadSize, senderId: server.userId },
      stored: spreadTotal,
      layout: `${config.spreadConversations} × ${count(config.spreadSize)} conversations`
    })
    const prepareSeconds = (performance.now() - prepStarted) / 1000
    log(`  prepared in ${prepareSeconds.toFixed(1)} s`)

    const { samples, otherCores } = await measureAppends(targets, config)
    const appends = targets.map((t, i) => summarize(t, samples[i]!))
    for (const a of appends) {
      log(
        `    ${count(a.stored)} (${a.layout}): first ${a.firstMs.toFixed(1)} ms, rebuilt ${a.rebuildMs.toFixed(1)} ms, ` +
          `mean ${a.meanMs.toFixed(3)} ms, p50 ${a.p50Ms.toFixed(3)} ms, p99 ${a.p99Ms.toFixed(3)} ms, ` +
          `${a.cpuPerAppendUs.toFixed(0)} µs CPU/append, ${a.appendsPerSec.toFixed(0)} concurrent appends/s (${a.concurrentCpuPerAppendUs.toFixed(0)} µs CPU each)`
      )
    }
    log(`    other load on the machine: ${otherCores.toFixed(2)} cores`)

    const runs: StartSample[] = []
    for (let i = 0; i < config.startRuns; i++) {
      const run = await inChild<StartSample>('start', { dataDir, token: server.token, conversationId: server.conversations[1] ?? server.conversations[0]! })
      log(`    start ${i + 1}: ${run.startMs.toFixed(0)} ms (+ import ${run.importMs.toFixed(0)} ms), list ${run.listMs.toFixed(0)} ms, first send ${run.firstSendMs.toFixed(0)} ms`)
      runs.push(run)
    }
    return { config, prepareSeconds, appends, otherCores, start: { messages: spreadTotal, conversations: config.spreadConversations, runs } }
  } finally {
    if (config.keepData) log(`  data kept in ${root}`)
    else await rm(root, { recursive: true, force: true })
  }
}
