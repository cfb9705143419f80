// Renders results as Markdown and updates docs/benchmarks.md in place: only
// the subsections that were run are replaced.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Comparison, describeLoad, type FanoutResult, type PhaseResult, ran, resultOf } from './fanout-run'
import type { ServerKind } from './fanout-types'
import { type AppendResult, count, type StartResult, type StoreResult } from './store-growth'
import type { StartSample } from './store-probe'
import { describeMachine, fmt, type Machine, median } from './util'

/** BENCH_DOC=<file> writes elsewhere (trial runs), else docs/benchmarks.md. */
export const DOC_PATH = process.env['BENCH_DOC'] ? resolve(process.env['BENCH_DOC']) : join(import.meta.dirname, '../../docs/benchmarks.md')

const INTRO = `# Benchmarks

Measured numbers for this project. Each section names the command that
produces it and the machine and date it was measured on; numbers from
different machines are not comparable, so re-run the command rather than
comparing with an old table.
`

const SERVER_HEADING = '## Server (npm run bench:server)'
const SERVER_INTRO = `${SERVER_HEADING}

\`npm run bench:server\` runs both parts; \`BENCH_PART=fanout\` or
\`BENCH_PART=store\` runs one and rewrites only its subsection(s). Sizes,
durations and rates are environment variables (see \`fanoutConfig\` in
test/bench/fanout-run.ts and \`storeConfig\` in test/bench/store-growth.ts).
\`BENCH_ENGINE=postgres\` (or \`both\`) runs our server on PostgreSQL too, in the
same rounds, and rewrites the PostgreSQL subsections (\`BENCH_DATABASE_URL\` or
\`MESSENGER_TEST_DATABASE_URL\` names the server: a role with CREATEDB; each run
creates fresh databases and drops them); \`BENCH_BASELINE_DIR=<checkout>\` adds
that checkout's server on the data directory as one more contender (see
test/bench/engines.ts). \`BENCH_PART=cluster\` (not part of a plain run: it
needs PostgreSQL and \`redis-server\`) compares one node with two nodes joined
through Redis (see test/bench/cluster-run.ts).
`

export const FANOUT_HEADING = '### Fan-out: our server vs bare Socket.IO'
export const FANOUT_PG_HEADING = '### Fan-out on PostgreSQL'
export const STORE_HEADING = '### Store growth and start time'
export const STORE_PG_HEADING = '### Store growth on PostgreSQL'
export const CLUSTER_HEADING = '### Several nodes'

/** A rendered subsection: updateDoc(heading, body). */
export interface Section {
  heading: string
  body: string
}

/** Fan-out of our server on the data directory, saturated, as a share of bare Socket.IO's: measured at 12a1c7f (before the asynchronous repositories) on 2026-12-07 on this machine kind. */
const FANOUT_BEFORE_ASYNC = { ratio: 0.48, commit: '12a1c7f', date: '2026-12-07' }

const met = (ok: boolean): string => (ok ? 'met' : '**missed**')
const ms = (v: number, digits = 1): string => `${fmt(v, digits)} ms`
const us = (v: number, digits = 1): string => `${fmt(v, digits)} µs`
const x = (v: number): string => `${fmt(v, 2)}×`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
/** Event-loop stalls are sampled every 5 ms; short ones are below what that resolves. */
const stall = (v: number): string => (v < 10 ? '< 10 ms' : ms(v, 0))
const windows = (c: Comparison, kind: ServerKind): string => {
  const ratios = c.roundRatios[kind]
  return `${c.results.length === 2 ? 'per pair of adjacent windows' : 'per round'} ${(ratios ?? []).map((v) => fmt(v, 2)).join(', ')}; median ${fmt(median(ratios ?? []), 2)}`
}

function phaseRow(label: string, r: PhaseResult): string {
  return row([
    label,
    describeLoad(r.phase),
    fmt(r.deliveriesPerSec),
    `${fmt(Math.min(...r.roundRates))}–${fmt(Math.max(...r.roundRates))}`,
    `${fmt(r.cpuPerDeliveryUs, 1)} µs`,
    fmt(r.serverCores, 2),
    `${fmt(r.serverLoopBusy * 100)}%`,
    fmt(r.loadgenCores, 2),
    fmt(r.otherCores, 2),
    ms(r.ackP50),
    ms(r.ackP99),
    `${r.errors} / ${r.skipped}`
  ])
}

/** The same row with PostgreSQL's CPU beside the server's ('—' for servers without a database). */
function phaseRowPg(label: string, r: PhaseResult): string {
  const pg = r.server === 'postgres'
  return row([
    label,
    describeLoad(r.phase),
    fmt(r.deliveriesPerSec),
    `${fmt(Math.min(...r.roundRates))}–${fmt(Math.max(...r.roundRates))}`,
    us(r.cpuPerDeliveryUs),
    pg ? `${us(r.dbCpuPerDeliveryUs)} (${us(r.dbAuxPerDeliveryUs)})` : '—',
    us(r.cpuPerDeliveryUs + (pg ? r.dbCpuPerDeliveryUs : 0)),
    fmt(r.serverCores, 2),
    pg ? fmt(r.dbCores, 2) : '—',
    `${fmt(r.serverLoopBusy * 100)}%`,
    fmt(r.loadgenCores, 2),
    fmt(r.otherCores, 2),
    ms(r.ackP50),
    ms(r.ackP99),
    `${r.errors} / ${r.skipped}`
  ])
}

function loadText(r: FanoutResult): string {
  const c = r.config
  const eq = r.equalLoad.results[0]!
  const rate = eq.phase.mode === 'rate' ? eq.phase.perSenderRate : NaN
  const n = r.saturated.results.length
  const windows =
    n === 2
      ? `Both run at the same time and are measured in ${c.rounds} alternating windows`
      : `All ${n} servers of the run are up at the same time and are measured in ${c.rounds} rounds of ${n} windows, one per server, the ` +
        `order turning by one each round, all windows`
  return (
    `Each server runs alone in a child process (its CPU is \`process.cpuUsage()\` of that process, all threads); each has ` +
    `${c.loadgens} load-generator processes of its own. ${windows} of ${fmt(c.durationMs / c.rounds / 1000, 1)} s, each after ` +
    `${fmt(c.warmupMs / 1000, 1)} s of warm-up, so background load hits ${n === 2 ? 'both' : 'all'} alike. *Saturated*: every client keeps ` +
    `${c.inflight} sends in flight, sending again on each ack. *Equal load*: every client sends ${fmt(rate, 1)} msg/s ` +
    `(${fmt(rate * c.clients * (c.groupSize - 1))} deliveries/s offered, ${fmt(c.rateFraction * 100)}% of the ${n === 2 ? 'slower' : 'slowest'} ` +
    `server's saturated rate).`
  )
}

function clientsText(r: FanoutResult): string {
  const c = r.config
  return `${c.clients} socket.io-client sockets (one user each) in ${Math.ceil(c.clients / c.groupSize)} groups of ${c.groupSize}: each message goes to the ${c.groupSize - 1} other members.`
}

/** The fan-out subsections this run measured: the data directory's (with the baseline, if any) and PostgreSQL's. */
export function renderFanout(r: FanoutResult, m: Machine): Section[] {
  const sections: Section[] = []
  if (ran(r.saturated, 'real')) sections.push({ heading: FANOUT_HEADING, body: renderFanoutDataDir(r, m) })
  if (ran(r.saturated, 'postgres')) sections.push({ heading: FANOUT_PG_HEADING, body: renderFanoutPg(r, m) })
  return sections
}

function renderFanoutDataDir(r: FanoutResult, m: Machine): string {
  const c = r.config
  const sat = r.saturated
  const eq = r.equalLoad
  const [satBare, satReal, eqBare, eqReal] = [resultOf(sat, 'bare'), resultOf(sat, 'real'), resultOf(eq, 'bare'), resultOf(eq, 'real')]
  const base = ran(sat, 'baseline') ? c.baseline : null
  const ratio = satReal.deliveriesPerSec / satBare.deliveriesPerSec
  const lines = [
    FANOUT_HEADING,
    '',
    `Measured ${describeMachine(m)}.`,
    '',
    `${clientsText(r)} (a) is our server (auth, zod validation, fsynced append with group commit, ` +
      `then broadcast); (b) a bare Socket.IO server that acks and broadcasts a message of the same shape with no auth, ` +
      `validation or persistence` +
      (base ? `; (c) our server at ${base.commit}, run from another checkout (BENCH_BASELINE_DIR)` : '') +
      '. ' +
      loadText(r),
    '',
    row(['Server', 'Load', 'Deliveries/s', 'Per window', 'Server CPU / delivery', 'Server CPU (cores)', 'Server event loop busy', 'Load-gen CPU (cores)', 'Other CPU on machine (cores)', 'Ack p50', 'Ack p99', 'Errors / skipped']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    phaseRow('(b) bare Socket.IO', satBare),
    phaseRow('(a) our server', satReal),
    ...(base ? [phaseRow(`(c) our server at ${base.commit}`, resultOf(sat, 'baseline'))] : []),
    phaseRow('(b) bare Socket.IO', eqBare),
    phaseRow('(a) our server', eqReal),
    ...(base ? [phaseRow(`(c) our server at ${base.commit}`, resultOf(eq, 'baseline'))] : []),
    '',
    `- Deliveries/s (a)/(b), saturated: **${fmt(ratio, 2)}** (${windows(sat, 'real')}); ` +
      `target ≥ 0.85: ${met(ratio >= 0.85)}; not lower than at ${FANOUT_BEFORE_ASYNC.commit} ` +
      `(${fmt(FANOUT_BEFORE_ASYNC.ratio, 2)}× on ${FANOUT_BEFORE_ASYNC.date}): ${met(ratio >= FANOUT_BEFORE_ASYNC.ratio)}.`
  ]
  if (base) {
    const satBase = resultOf(sat, 'baseline')
    const eqBase = resultOf(eq, 'baseline')
    const baseRatio = satBase.deliveriesPerSec / satBare.deliveriesPerSec
    const vsBase = satReal.deliveriesPerSec / satBase.deliveriesPerSec
    lines.push(
      `- The same run at ${base.commit}: (c)/(b) ${fmt(baseRatio, 2)} (${windows(sat, 'baseline')}); ` +
        `(a)/(c) saturated deliveries/s **${fmt(vsBase, 2)}**, target not lower (≥ 1.00): ${met(vsBase >= 1)}. ` +
        `Server CPU per delivery (a)/(c): ${x(satReal.cpuPerDeliveryUs / satBase.cpuPerDeliveryUs)} saturated, ` +
        `${x(eqReal.cpuPerDeliveryUs / eqBase.cpuPerDeliveryUs)} at equal load.`
    )
  }
  lines.push(
    `- Server CPU per delivery (a)/(b): ${x(satReal.cpuPerDeliveryUs / satBare.cpuPerDeliveryUs)} saturated, ` +
      `${x(eqReal.cpuPerDeliveryUs / eqBare.cpuPerDeliveryUs)} at equal load.`,
    `- Ack latency of (a): p50 ${ms(eqReal.ackP50)}, p99 ${ms(eqReal.ackP99)} at equal load; ` +
      `p50 ${ms(satReal.ackP50)}, p99 ${ms(satReal.ackP99)} saturated (mostly queueing behind ${c.inflight} sends in flight per client).`
  )
  const clientUs = (p: PhaseResult): string => us((p.loadgenCores * 1e6) / p.deliveriesPerSec)
  lines.push(
    `- Load-generator CPU per delivery, saturated: (a) ${clientUs(satReal)}, (b) ${clientUs(satBare)}. How a server ` +
      `batches its sends changes the clients' cost too, so deliveries/s measures server and clients together.`
  )
  if (ran(sat, 'postgres')) lines.push(`- Our server on PostgreSQL ran in the same rounds: see "${FANOUT_PG_HEADING.slice(4)}" below.`)
  if (m.cores <= 4) lines.push(fewCores(m))
  return lines.join('\n') + '\n'
}

function fewCores(m: Machine): string {
  return (
    `- With ${m.cores} cores the load generators compete with the server for CPU, so deliveries/s is what the whole ` +
    `machine sustains; server CPU per delivery is the server's own cost and the steadier comparison. "Other CPU" is ` +
    `what the rest of the machine used meanwhile (other jobs); when it is large, deliveries/s and latencies swing ` +
    `from window to window.`
  )
}

function renderFanoutPg(r: FanoutResult, m: Machine): string {
  const sat = r.saturated
  const eq = r.equalLoad
  const [satBare, satPg, eqBare, eqPg] = [resultOf(sat, 'bare'), resultOf(sat, 'postgres'), resultOf(eq, 'bare'), resultOf(eq, 'postgres')]
  const dataDir = ran(sat, 'real')
  const ratio = satPg.deliveriesPerSec / satBare.deliveriesPerSec
  const total = (p: PhaseResult): number => p.cpuPerDeliveryUs + (p.server === 'postgres' ? p.dbCpuPerDeliveryUs : 0)
  const others = [dataDir ? '(a) our server on the data directory' : '', ran(sat, 'baseline') ? `(c) at ${r.config.baseline!.commit}` : '']
    .filter(Boolean)
    .join(' and ')
  const lines = [
    FANOUT_PG_HEADING,
    '',
    `Measured ${describeMachine(m)}; ${r.postgres ?? 'PostgreSQL'}, on the same machine.`,
    '',
    `${clientsText(r)} (p) is our server with \`databaseUrl\`: users, conversations and history in a fresh database of ` +
      `its own (a send is acknowledged after its commit; the server's default connection pools); (b) the bare Socket.IO server` +
      (others ? `; ${others} ran in the same rounds (the section above)` : '') +
      '. ' +
      loadText(r) +
      ` *PostgreSQL CPU* is what the database's processes used (utime + stime from \`/proc/<pid>/stat\`): the backends ` +
      `serving (p)'s database (found in \`pg_stat_activity\`) plus, in brackets, the cluster's auxiliary processes (WAL ` +
      `writer, checkpointer, background writer, launchers), which serve every database of the cluster; *Server + ` +
      `PostgreSQL* is the whole cost of a delivery on that engine. "Other CPU" leaves PostgreSQL's out.`,
    '',
    row(['Server', 'Load', 'Deliveries/s', 'Per window', 'Server CPU / delivery', 'PostgreSQL CPU / delivery (auxiliary)', 'Server + PostgreSQL / delivery', 'Server CPU (cores)', 'PostgreSQL CPU (cores)', 'Server event loop busy', 'Load-gen CPU (cores)', 'Other CPU on machine (cores)', 'Ack p50', 'Ack p99', 'Errors / skipped']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    phaseRowPg('(b) bare Socket.IO', satBare),
    phaseRowPg('(p) our server on PostgreSQL', satPg),
    ...(dataDir ? [phaseRowPg('(a) our server on the data directory', resultOf(sat, 'real'))] : []),
    phaseRowPg('(b) bare Socket.IO', eqBare),
    phaseRowPg('(p) our server on PostgreSQL', eqPg),
    ...(dataDir ? [phaseRowPg('(a) our server on the data directory', resultOf(eq, 'real'))] : []),
    '',
    `- Deliveries/s (p)/(b), saturated: **${fmt(ratio, 2)}** (${windows(sat, 'postgres')}); target ≥ 0.7: ${met(ratio >= 0.7)}.`,
    `- Server CPU per delivery (p)/(b): ${x(satPg.cpuPerDeliveryUs / satBare.cpuPerDeliveryUs)} saturated, ` +
      `${x(eqPg.cpuPerDeliveryUs / eqBare.cpuPerDeliveryUs)} at equal load; with PostgreSQL's CPU counted: ` +
      `${x(total(satPg) / satBare.cpuPerDeliveryUs)} saturated, ${x(total(eqPg) / eqBare.cpuPerDeliveryUs)} at equal load.`
  ]
  if (dataDir) {
    const [satReal, eqReal] = [resultOf(sat, 'real'), resultOf(eq, 'real')]
    lines.push(
      `- Against the data directory in the same rounds: deliveries/s (p)/(a) ${x(satPg.deliveriesPerSec / satReal.deliveriesPerSec)} ` +
        `saturated ((a)/(b) ${fmt(satReal.deliveriesPerSec / satBare.deliveriesPerSec, 2)}); whole CPU per delivery ` +
        `(server + PostgreSQL)/(a) ${x(total(satPg) / satReal.cpuPerDeliveryUs)} saturated, ${x(total(eqPg) / eqReal.cpuPerDeliveryUs)} at equal load.`
    )
  }
  lines.push(
    `- Ack latency of (p): p50 ${ms(eqPg.ackP50)}, p99 ${ms(eqPg.ackP99)} at equal load; p50 ${ms(satPg.ackP50)}, ` +
      `p99 ${ms(satPg.ackP99)} saturated.`
  )
  const gone = satPg.dbGone + eqPg.dbGone
  if (gone > 0) lines.push(`- ${gone} PostgreSQL backends of (p) ended inside a measured window; their CPU in it is missing from the figures.`)
  if (!Number.isFinite(satPg.dbCpuPerDeliveryUs)) lines.push('- PostgreSQL ran on another machine (or out of sight of /proc): its CPU was not measured.')
  if (m.cores <= 4) {
    lines.push(
      `- With ${m.cores} cores the load generators and PostgreSQL compete with the server for CPU, so deliveries/s is ` +
        `what the whole machine sustains; CPU per delivery is the steadier comparison.`
    )
  }
  return lines.join('\n') + '\n'
}

const vs = (a: number, b: number): string => `${fmt(a / b, 2)}×`
const judged = (label: string, a: number, b: number, limit = 1.2): string => `${label} ${vs(a, b)} (${met(a / b <= limit)})`

/** The store subsections this run measured: the data directory's (with the baseline, if any) and PostgreSQL's. */
export function renderStore(r: StoreResult, m: Machine): Section[] {
  const sections: Section[] = []
  if (r.appends.some((a) => a.engine === 'data-dir')) sections.push({ heading: STORE_HEADING, body: renderStoreDataDir(r, m) })
  if (r.appends.some((a) => a.engine === 'postgres')) sections.push({ heading: STORE_PG_HEADING, body: renderStorePg(r, m) })
  return sections
}

function startTable(start: StartResult, firstSend: string): string[] {
  const starts = start.runs
  const steps: [string, (s: StartSample) => number][] = [
    ['`createMessengerServer` + `listen()` + first `GET /health`', (s) => s.startMs],
    ['Importing the server modules through tsx (before the above; not part of the start)', (s) => s.importMs],
    [`First \`GET /conversations\` (opens all ${start.conversations})`, (s) => s.listMs],
    [firstSend, (s) => s.firstSendMs]
  ]
  return [
    row(['Step', 'Median', 'Max']),
    row(['---', '---:', '---:']),
    ...steps.map(([label, pick]) => row([label, ms(median(starts.map(pick)), 0), ms(Math.max(...starts.map(pick)), 0)]))
  ]
}

const startLine = (start: StartResult): string => {
  const startMedian = median(start.runs.map((s) => s.startMs))
  const startMax = Math.max(...start.runs.map((s) => s.startMs))
  return `- Start ${ms(startMedian, 0)} (max ${ms(startMax, 0)}); target < 1 s: ${met(startMax < 1000)}.`
}

function renderStoreDataDir(r: StoreResult, m: Machine): string {
  const c = r.config
  const appends = r.appends.filter((a) => a.engine === 'data-dir')
  const baseAppends = r.appends.filter((a) => a.engine === 'baseline')
  const base = baseAppends.length > 0 ? c.baseline : null
  const smallest = appends.find((a) => a.layout === 'one conversation')!
  const biggest = Math.max(...appends.map((a) => a.stored))
  const start = r.starts.find((s) => s.engine === 'data-dir')!
  const baseStart = r.starts.find((s) => s.engine === 'baseline')
  const prepare = (r.prepareSeconds['data-dir'] ?? 0) + (r.prepareSeconds.baseline ?? 0)
  const appendRow = (a: AppendResult, vsWhat: AppendResult): string =>
    row([
      ...(base ? [a.engine === 'baseline' ? base.commit : 'this checkout'] : []),
      count(a.stored),
      a.layout,
      count(a.conversationSize),
      ms(a.firstMs),
      stall(a.firstStallMs),
      `${ms(a.rebuildMs)} (stall ${stall(a.rebuildStallMs)})`,
      ms(a.meanMs, 3),
      ms(a.p50Ms, 3),
      ms(a.p99Ms, 3),
      `${fmt(a.cpuPerAppendUs)} µs`,
      `${vs(a.meanMs, vsWhat.meanMs)} / ${vs(a.p50Ms, vsWhat.p50Ms)}`,
      `${fmt(a.appendsPerSec)}/s (${fmt(a.concurrentCpuPerAppendUs)} µs CPU each)`
    ])
  const baseSmallest = baseAppends.find((a) => a.layout === 'one conversation')
  const lines = [
    STORE_HEADING,
    '',
    `Measured ${describeMachine(m)}.`,
    '',
    `History was written straight into segment files in the store's own format (segments of JSON lines plus the ` +
      `\`clientids.log\` projection, using the server's encoder; not fsynced while preparing; ${fmt(prepare, 1)} s ` +
      `for all stores), not appended one by one. Each store is then driven through \`FileMessageRepo\` (an append ` +
      `resolves after fdatasync) by a process of its own; the stores take turns in small batches so background load ` +
      `hits all alike` +
      (base
        ? ` (those of the rows marked ${base.commit} run \`FileMessageRepo\` and the server from a checkout of that commit, ` +
          `on stores of their own prepared the same way${r.appends.some((a) => a.engine === 'postgres') ? ', and PostgreSQL\'s stores below took turns with them' : ''}` +
          (r.baselineSameStore ? `; \`server/store/messages/\` is the same in both checkouts, so there the pairs of rows show mostly noise` : '') +
          ')'
        : r.appends.some((a) => a.engine === 'postgres')
          ? ' (PostgreSQL\'s stores, below, took turns with them)'
          : '') +
      `. *First append*: open the store and append once, which opens the conversation and loads its ` +
      `dedupe index from \`clientids.log\` (median of ${c.rounds}); *index rebuilt*: the same with \`clientids.log\` ` +
      `deleted, so the index is rebuilt from every segment. *Sequential*: ${c.sequential} appends one after another ` +
      `(batches of ${c.batch}, after 100 warm-up appends; the conversation grows by that much during the run). ` +
      `*Concurrent*: ${c.concurrentAppends} appends by ${c.concurrency} concurrent appenders (group commit: one fsync ` +
      `per batch), restarting from the prepared size. *Loop stall*: the longest the appending process's event loop ` +
      `was blocked during that first append, i.e. how long a server would stop answering everyone.`,
    '',
    row([...(base ? ['Code'] : []), 'Stored messages', 'Layout', 'Conversation appended to', 'First append', 'Loop stall in it', 'First append, index rebuilt', 'Sequential mean', 'p50', 'p99', 'CPU per append', 'Mean / p50 vs smallest', `${c.concurrency} appenders`]),
    row([...(base ? ['---'] : []), '---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...appends.flatMap((a) => {
      const before = baseAppends.find((b) => b.stored === a.stored && b.layout === a.layout)
      return [appendRow(a, smallest), ...(before ? [appendRow(before, baseSmallest!)] : [])]
    }),
    '',
    ...appends
      .filter((a) => a.stored === biggest)
      .map(
        (a) =>
          `- Append cost at ${count(a.stored)} (${a.layout}) vs ${count(smallest.stored)}, target ≤ 1.2×: ` +
          `${judged('mean', a.meanMs, smallest.meanMs)}, ${judged('p50', a.p50Ms, smallest.p50Ms)}, ` +
          `${judged('CPU per append', a.cpuPerAppendUs, smallest.cpuPerAppendUs)}; p99 ${vs(a.p99Ms, smallest.p99Ms)}, ` +
          `concurrent throughput ${vs(a.appendsPerSec, smallest.appendsPerSec)} at ` +
          `${vs(a.concurrentCpuPerAppendUs, smallest.concurrentCpuPerAppendUs)} the CPU per append.`
      )
  ]
  if (base) {
    const pairs = appends.flatMap((a) => {
      const b = baseAppends.find((y) => y.stored === a.stored && y.layout === a.layout)
      return b ? [[a, b] as const] : []
    })
    const worst = (pick: (a: AppendResult) => number): number => Math.max(...pairs.map(([a, b]) => pick(a) / pick(b)))
    lines.push(
      `- This checkout against ${base.commit} at every size, target within 10% (≤ 1.10×): worst ` +
        `${judged('mean', worst((a) => a.meanMs), 1, 1.1)}, ${judged('p50', worst((a) => a.p50Ms), 1, 1.1)}, ` +
        `${judged('CPU per append', worst((a) => a.cpuPerAppendUs), 1, 1.1)}; ` +
        `${judged('first append', worst((a) => a.firstMs), 1, 1.1)}; ` +
        `${judged('concurrent CPU per append', worst((a) => a.concurrentCpuPerAppendUs), 1, 1.1)}. ` +
        `By size: ${pairs.map(([a, b]) => `${count(a.stored)} ${a.layout} mean ${vs(a.meanMs, b.meanMs)}, CPU ${vs(a.cpuPerAppendUs, b.cpuPerAppendUs)}`).join('; ')}.`
    )
  }
  lines.push(
    `- Other work on the machine used ${fmt(r.otherCores, 2)} of ${m.cores} cores during the sequential appends; ` +
      `fsync latency suffers most from it, so the CPU column and p50 are steadier than the mean and p99.`,
    '',
    `Server start with ${count(start.messages)} stored messages in ${start.conversations} groups of 10 users (data ` +
      `dir made by the server through the REST API, then history written into it), ${start.runs.length} runs, each a fresh ` +
      `process, files in the OS page cache:`,
    '',
    ...startTable(start, 'First message sent (loads that conversation’s dedupe index)'),
    '',
    startLine(start)
  )
  if (base && baseStart) {
    const startOf = (s: StartResult): number => median(s.runs.map((x) => x.startMs))
    const listOf = (s: StartResult): number => median(s.runs.map((x) => x.listMs))
    const sendOf = (s: StartResult): number => median(s.runs.map((x) => x.firstSendMs))
    lines.push(
      `- At ${base.commit} (its own data dir, made by its own server; runs alternating with the above): start ` +
        `${ms(startOf(baseStart), 0)}, list ${ms(listOf(baseStart), 0)}, first send ${ms(sendOf(baseStart), 0)} (medians). This checkout ` +
        `over ${base.commit}, target within 10% (≤ 1.10×): ${judged('start', startOf(start), startOf(baseStart), 1.1)}, ` +
        `${judged('list', listOf(start), listOf(baseStart), 1.1)}, ${judged('first send', sendOf(start), sendOf(baseStart), 1.1)}.`
    )
  }
  return lines.join('\n') + '\n'
}

function renderStorePg(r: StoreResult, m: Machine): string {
  const c = r.config
  const appends = r.appends.filter((a) => a.engine === 'postgres')
  const dataDir = r.appends.filter((a) => a.engine === 'data-dir')
  const smallest = appends.find((a) => a.layout === 'one conversation')!
  const biggest = Math.max(...appends.map((a) => a.stored))
  const start = r.starts.find((s) => s.engine === 'postgres')!
  const whole = (a: AppendResult): number => a.cpuPerAppendUs + a.dbCpuPerAppendUs
  const lines = [
    STORE_PG_HEADING,
    '',
    `Measured ${describeMachine(m)}; ${r.postgres ?? 'PostgreSQL'}, on the same machine.`,
    '',
    `Each single-conversation store is a database of its own holding only that conversation, so "stored" is the ` +
      `whole \`messages\` table. History was inserted by one \`INSERT … SELECT FROM generate_series\` per database, in ` +
      `the rows \`message_append()\` writes (the counter row at the last seq, the message as the JSON text ` +
      `\`PgMessageRepo.append\` builds, its folded search text), with the keys and indexes dropped during the load and ` +
      `rebuilt from their own definitions afterwards, then \`VACUUM ANALYZE\` (${fmt(r.prepareSeconds.postgres ?? NaN, 1)} s ` +
      `for all, the server's users and groups included). Each store is then driven through \`PgMessageRepo\` (from ` +
      `\`openPostgresStore\` with its default pools; an append is one autocommit call of ` +
      `\`message_append()\` and resolves after its commit) by a process of its own, taking turns in small batches with ` +
      `the other stores of the run${dataDir.length ? ' (the data directory\'s, above)' : ''}. *First append*: open the ` +
      `store (connect, check the schema) and append once (median of ${c.rounds}). *Sequential*: ${c.sequential} ` +
      `appends one after another (batches of ${c.batch}, after 100 warm-up appends). *Concurrent*: ` +
      `${c.concurrentAppends} appends by ${c.concurrency} concurrent appenders. Appends are deleted again (and the ` +
      `counter reset) after each phase, and the tables vacuumed before the next. *Node CPU* is the appending ` +
      `process's; *PostgreSQL CPU* the database's backends (from \`pg_stat_activity\`, utime + stime from ` +
      `\`/proc/<pid>/stat\`) plus, in brackets, the cluster's auxiliary processes (WAL writer, checkpointer, …).`,
    '',
    row(['Stored messages', 'Layout', 'Conversation appended to', 'First append', 'Sequential mean', 'p50', 'p99', 'Node CPU per append', 'PostgreSQL CPU per append (auxiliary)', 'Mean / p50 vs smallest', `${c.concurrency} appenders (Node + PostgreSQL CPU each)`]),
    row(['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...appends.map((a) =>
      row([
        count(a.stored),
        a.layout,
        count(a.conversationSize),
        ms(a.firstMs),
        ms(a.meanMs, 3),
        ms(a.p50Ms, 3),
        ms(a.p99Ms, 3),
        `${fmt(a.cpuPerAppendUs)} µs`,
        `${fmt(a.dbCpuPerAppendUs)} µs (${fmt(a.dbAuxPerAppendUs)} µs)`,
        `${vs(a.meanMs, smallest.meanMs)} / ${vs(a.p50Ms, smallest.p50Ms)}`,
        `${fmt(a.appendsPerSec)}/s (${fmt(a.concurrentCpuPerAppendUs)} + ${fmt(a.concurrentDbCpuPerAppendUs)} µs)`
      ])
    ),
    '',
    ...appends
      .filter((a) => a.stored === biggest)
      .map(
        (a) =>
          `- Append cost at ${count(a.stored)} (${a.layout}) vs ${count(smallest.stored)}, target ≤ 1.2×: ` +
          `${judged('mean', a.meanMs, smallest.meanMs)}, ${judged('p50', a.p50Ms, smallest.p50Ms)}, ` +
          `${judged('Node CPU per append', a.cpuPerAppendUs, smallest.cpuPerAppendUs)}, ` +
          `${judged('PostgreSQL CPU per append', a.dbCpuPerAppendUs, smallest.dbCpuPerAppendUs)}; p99 ${vs(a.p99Ms, smallest.p99Ms)}, ` +
          `concurrent throughput ${vs(a.appendsPerSec, smallest.appendsPerSec)}.`
      )
  ]
  if (dataDir.length) {
    const pairs = appends.flatMap((a) => {
      const d = dataDir.find((y) => y.stored === a.stored && y.layout === a.layout)
      return d ? [[a, d] as const] : []
    })
    lines.push(
      `- Against the data directory in the same run (PostgreSQL / data dir): ` +
        pairs
          .map(
            ([a, d]) =>
              `${count(a.stored)} ${a.layout}: sequential mean ${vs(a.meanMs, d.meanMs)}, whole CPU per append ` +
              `(Node + PostgreSQL) ${vs(whole(a), d.cpuPerAppendUs)}, concurrent throughput ${vs(a.appendsPerSec, d.appendsPerSec)}`
          )
          .join('; ') +
        '.'
    )
  }
  if (!Number.isFinite(smallest.dbCpuPerAppendUs)) lines.push('- PostgreSQL ran on another machine (or out of sight of /proc): its CPU was not measured.')
  lines.push(
    `- Other work on the machine used ${fmt(r.otherCores, 2)} of ${m.cores} cores during the sequential appends (PostgreSQL's processes not counted as other).`,
    '',
    `Server start on PostgreSQL with ${count(start.messages)} stored messages in ${start.conversations} groups of 10 users ` +
      `(users and groups made by the server through the REST API, then history inserted as above), ` +
      `${start.runs.length} runs, each a fresh process, tables in PostgreSQL's and the OS's caches:`,
    '',
    ...startTable(start, 'First message sent'),
    '',
    startLine(start)
  )
  return lines.join('\n') + '\n'
}

const SUBSECTION_ORDER = [FANOUT_HEADING, FANOUT_PG_HEADING, STORE_HEADING, STORE_PG_HEADING, CLUSTER_HEADING]

/** Replaces one subsection of the server section, or inserts it in order; creates the file and section if missing. */
export function updateDoc(heading: string, body: string, path = DOC_PATH): void {
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : INTRO
  if (!doc.includes(SERVER_HEADING)) doc = `${doc.trimEnd()}\n\n${SERVER_INTRO}`
  const sectionStart = doc.indexOf(SERVER_HEADING)
  const nextSection = doc.indexOf('\n## ', sectionStart + SERVER_HEADING.length)
  const sectionEnd = nextSection === -1 ? doc.length : nextSection + 1
  let section = doc.slice(sectionStart, sectionEnd)
  // A heading is a whole line (one heading may begin another's text).
  const find = (h: string): number => {
    const i = section.indexOf(`\n${h}\n`)
    return i === -1 ? -1 : i + 1
  }
  const at = find(heading)
  if (at === -1) {
    const later = SUBSECTION_ORDER.slice(SUBSECTION_ORDER.indexOf(heading) + 1)
      .map(find)
      .filter((i) => i !== -1)
    const before = later.length > 0 ? Math.min(...later) : -1
    section = before === -1 ? `${section.trimEnd()}\n\n${body}` : `${section.slice(0, before)}${body}\n${section.slice(before)}`
  } else {
    const next = section.indexOf('\n### ', at + heading.length)
    section = section.slice(0, at) + body + (next === -1 ? '' : `\n${section.slice(next + 1)}`)
  }
  section = `${section.trimEnd()}\n`
  const rest = doc.slice(sectionEnd)
  writeFileSync(path, doc.slice(0, sectionStart) + section + (rest ? `\n${rest}` : ''))
}
