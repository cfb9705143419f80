// Renders results as Markdown and updates docs/benchmarks.md in place: only
// the subsections that were run are replaced.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeLoad, type FanoutResult, type PhaseResult } from './fanout-run'
import { count, type StoreResult } from './store-growth'
import type { StartSample } from './store-probe'
import { describeMachine, fmt, type Machine, median } from './util'

export const DOC_PATH = join(import.meta.dirname, '../../docs/benchmarks.md')

const INTRO = `# Benchmarks

Measured numbers for this project. Each section names the command that
produces it and the machine and date it was measured on; numbers from
different machines are not comparable, so re-run the command rather than
comparing with an old table.
`

const SERVER_HEADING = '## Server (npm run bench:server)'
const SERVER_INTRO = `${SERVER_HEADING}

\`npm run bench:server\` runs both parts; \`BENCH_PART=fanout\` or
\`BENCH_PART=store\` runs one and rewrites only its subsection. Sizes,
durations and rates are environment variables (see \`fanoutConfig\` in
test/bench/fanout-run.ts and \`storeConfig\` in test/bench/store-growth.ts).
`

export const FANOUT_HEADING = '### Fan-out: our server vs bare Socket.IO'
export const STORE_HEADING = '### Store growth and start time'

const met = (ok: boolean): string => (ok ? 'met' : '**missed**')
const ms = (v: number, digits = 1): string => `${fmt(v, digits)} ms`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
/** Event-loop stalls are sampled every 5 ms; short ones are below what that resolves. */
const stall = (v: number): string => (v < 10 ? '< 10 ms' : ms(v, 0))

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

export function renderFanout(r: FanoutResult, m: Machine): string {
  const c = r.config
  const groups = Math.ceil(c.clients / c.groupSize)
  const sat = r.saturated
  const eq = r.equalLoad
  const ratio = sat.real.deliveriesPerSec / sat.bare.deliveriesPerSec
  const rate = eq.real.phase.mode === 'rate' ? eq.real.phase.perClientRate : NaN
  const lines = [
    FANOUT_HEADING,
    '',
    `Measured ${describeMachine(m)}.`,
    '',
    `${c.clients} socket.io-client sockets (one user each) in ${groups} groups of ${c.groupSize}: each message goes to the ` +
      `${c.groupSize - 1} other members. (a) is our server (auth, zod validation, fsynced append with group commit, ` +
      `then broadcast); (b) a bare Socket.IO server that acks and broadcasts a message of the same shape with no auth, ` +
      `validation or persistence. Each server runs alone in a child process (its CPU is \`process.cpuUsage()\` of that ` +
      `process, all threads); each has ${c.loadgens} load-generator processes of its own. Both run at the same time and ` +
      `are measured in ${c.rounds} alternating windows of ${fmt(c.durationMs / c.rounds / 1000, 1)} s, each after ` +
      `${fmt(c.warmupMs / 1000, 1)} s of warm-up, so background load hits both alike. *Saturated*: every client keeps ` +
      `${c.inflight} sends in flight, sending again on each ack. *Equal load*: every client sends ${fmt(rate, 1)} msg/s ` +
      `(${fmt(rate * c.clients * (c.groupSize - 1))} deliveries/s offered, ${fmt(c.rateFraction * 100)}% of the slower ` +
      `server's saturated rate).`,
    '',
    row(['Server', 'Load', 'Deliveries/s', 'Per window', 'Server CPU / delivery', 'Server CPU (cores)', 'Server event loop busy', 'Load-gen CPU (cores)', 'Other CPU on machine (cores)', 'Ack p50', 'Ack p99', 'Errors / skipped']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    phaseRow('(b) bare Socket.IO', sat.bare),
    phaseRow('(a) our server', sat.real),
    phaseRow('(b) bare Socket.IO', eq.bare),
    phaseRow('(a) our server', eq.real),
    '',
    `- Deliveries/s (a)/(b), saturated: **${fmt(ratio, 2)}** (per pair of adjacent windows ` +
      `${sat.roundRatios.map((x) => fmt(x, 2)).join(', ')}; median ${fmt(median(sat.roundRatios), 2)}); ` +
      `target ≥ 0.85: ${met(ratio >= 0.85)}.`,
    `- Server CPU per delivery (a)/(b): ${fmt(sat.real.cpuPerDeliveryUs / sat.bare.cpuPerDeliveryUs, 2)}× saturated, ` +
      `${fmt(eq.real.cpuPerDeliveryUs / eq.bare.cpuPerDeliveryUs, 2)}× at equal load.`,
    `- Ack latency of (a): p50 ${ms(eq.real.ackP50)}, p99 ${ms(eq.real.ackP99)} at equal load; ` +
      `p50 ${ms(sat.real.ackP50)}, p99 ${ms(sat.real.ackP99)} saturated (mostly queueing behind ${c.inflight} sends in flight per client).`
  ]
  const clientUs = (r: PhaseResult): string => `${fmt((r.loadgenCores * 1e6) / r.deliveriesPerSec, 1)} µs`
  lines.push(
    `- Load-generator CPU per delivery, saturated: (a) ${clientUs(sat.real)}, (b) ${clientUs(sat.bare)}. How a server ` +
      `batches its sends changes the clients' cost too, so deliveries/s measures server and clients together.`
  )
  if (m.cores <= 4) {
    lines.push(
      `- With ${m.cores} cores the load generators compete with the server for CPU, so deliveries/s is what the whole ` +
        `machine sustains; server CPU per delivery is the server's own cost and the steadier comparison. "Other CPU" is ` +
        `what the rest of the machine used meanwhile (other jobs); when it is large, deliveries/s and latencies swing ` +
        `from window to window.`
    )
  }
  return lines.join('\n') + '\n'
}

export function renderStore(r: StoreResult, m: Machine): string {
  const c = r.config
  const base = r.appends.find((a) => a.layout === 'one conversation')!
  const biggest = Math.max(...r.appends.map((x) => x.stored))
  const starts = r.start.runs
  const startMedian = median(starts.map((s) => s.startMs))
  const startMax = Math.max(...starts.map((s) => s.startMs))
  const steps: [string, (s: StartSample) => number][] = [
    ['`createMessengerServer` + `listen()` + first `GET /health`', (s) => s.startMs],
    ['Importing the server modules through tsx (before the above; not part of the start)', (s) => s.importMs],
    [`First \`GET /conversations\` (opens all ${r.start.conversations})`, (s) => s.listMs],
    ['First message sent (loads that conversation’s dedupe index)', (s) => s.firstSendMs]
  ]
  const vs = (a: number, b: number): string => `${fmt(a / b, 2)}×`
  const lines = [
    STORE_HEADING,
    '',
    `Measured ${describeMachine(m)}.`,
    '',
    `History was written straight into segment files in the store's own format (segments of JSON lines plus the ` +
      `\`clientids.log\` projection, using the server's encoder; not fsynced while preparing; ${fmt(r.prepareSeconds, 1)} s ` +
      `for all stores), not appended one by one. Each store is then driven through \`FileMessageRepo\` (an append ` +
      `resolves after fdatasync) by a process of its own; the stores take turns in small batches so background load ` +
      `hits all alike. *First append*: open the store and append once, which opens the conversation and loads its ` +
      `dedupe index from \`clientids.log\` (median of ${c.rounds}); *index rebuilt*: the same with \`clientids.log\` ` +
      `deleted, so the index is rebuilt from every segment. *Sequential*: ${c.sequential} appends one after another ` +
      `(batches of ${c.batch}, after 100 warm-up appends; the conversation grows by that much during the run). ` +
      `*Concurrent*: ${c.concurrentAppends} appends by ${c.concurrency} concurrent appenders (group commit: one fsync ` +
      `per batch), restarting from the prepared size. *Loop stall*: the longest the appending process's event loop ` +
      `was blocked during that first append, i.e. how long a server would stop answering everyone.`,
    '',
    row(['Stored messages', 'Layout', 'Conversation appended to', 'First append', 'Loop stall in it', 'First append, index rebuilt', 'Sequential mean', 'p50', 'p99', 'CPU per append', 'Mean / p50 vs smallest', `${c.concurrency} appenders`]),
    row(['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...r.appends.map((a) =>
      row([
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
        `${vs(a.meanMs, base.meanMs)} / ${vs(a.p50Ms, base.p50Ms)}`,
        `${fmt(a.appendsPerSec)}/s (${fmt(a.concurrentCpuPerAppendUs)} µs CPU each)`
      ])
    ),
    '',
    ...r.appends
      .filter((a) => a.stored === biggest)
      .map((a) => {
        const judged = (label: string, x: number, y: number): string => `${label} ${vs(x, y)} (${x / y <= 1.2 ? 'met' : '**missed**'})`
        return (
          `- Append cost at ${count(a.stored)} (${a.layout}) vs ${count(base.stored)}, target ≤ 1.2×: ` +
          `${judged('mean', a.meanMs, base.meanMs)}, ${judged('p50', a.p50Ms, base.p50Ms)}, ` +
          `${judged('CPU per append', a.cpuPerAppendUs, base.cpuPerAppendUs)}; p99 ${vs(a.p99Ms, base.p99Ms)}, ` +
          `concurrent throughput ${vs(a.appendsPerSec, base.appendsPerSec)} at ` +
          `${vs(a.concurrentCpuPerAppendUs, base.concurrentCpuPerAppendUs)} the CPU per append.`
        )
      }),
    `- Other work on the machine used ${fmt(r.otherCores, 2)} of ${m.cores} cores during the sequential appends; ` +
      `fsync latency suffers most from it, so the CPU column and p50 are steadier than the mean and p99.`,
    '',
    `Server start with ${count(r.start.messages)} stored messages in ${r.start.conversations} groups of 10 users (data ` +
      `dir made by the server through the REST API, then history written into it), ${starts.length} runs, each a fresh ` +
      `process, files in the OS page cache:`,
    '',
    row(['Step', 'Median', 'Max']),
    row(['---', '---:', '---:']),
    ...steps.map(([label, pick]) => row([label, ms(median(starts.map(pick)), 0), ms(Math.max(...starts.map(pick)), 0)])),
    '',
    `- Start ${ms(startMedian, 0)} (max ${ms(startMax, 0)}); target < 1 s: ${met(startMax < 1000)}.`
  ]
  return lines.join('\n') + '\n'
}

const SUBSECTION_ORDER = [FANOUT_HEADING, STORE_HEADING]

/** Replaces one subsection of the server section, or inserts it in order; creates the file and section if missing. */
export function updateDoc(heading: string, body: string, path = DOC_PATH): void {
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : INTRO
  if (!doc.includes(SERVER_HEADING)) doc = `${doc.trimEnd()}\n\n${SERVER_INTRO}`
  const sectionStart = doc.indexOf(SERVER_HEADING)
  const nextSection = doc.indexOf('\n## ', sectionStart + SERVER_HEADING.length)
  const sectionEnd = nextSection === -1 ? doc.length : nextSection + 1
  let section = doc.slice(sectionStart, sectionEnd)
  const at = section.indexOf(heading)
  if (at === -1) {
    const later = SUBSECTION_ORDER.slice(SUBSECTION_ORDER.indexOf(heading) + 1)
      .map((h) => section.indexOf(h))
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
