// Load test: LOAD_SOCKETS authenticated sockets (one user each, in groups of
// LOAD_GROUP_SIZE) from LOAD_GENS load-generator processes on loopback, held
// for LOAD_DURATION_S at LOAD_RATE messages/s after LOAD_WARMUP_S of warm-up.
// Reports delivery and ack latency, the server's RSS after warm-up and at the
// end, and errors; writes the figures into docs/reliability.md.
// BENCH_ENGINE=postgres runs the server on PostgreSQL (see load-server.ts).
import { readFile, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { benchEngines } from '../bench/engines'
import { Child } from '../bench/rpc'
import { api, describeMachine, envNumber, fmt, log, machine, mapLimit, sleep } from '../bench/util'
import { count, merge, newHistogram, percentile } from './histogram'
import type { GenMark, LoadClient, ServerMark } from './load-types'

const config = {
  sockets: envNumber('LOAD_SOCKETS', 10_000),
  groupSize: envNumber('LOAD_GROUP_SIZE', 10),
  rate: envNumber('LOAD_RATE', 1_000),
  durationS: envNumber('LOAD_DURATION_S', 600),
  warmupS: envNumber('LOAD_WARMUP_S', 60),
  gens: envNumber('LOAD_GENS', 4),
  /** Seconds between samples of the server's memory and the counts. */
  sampleS: envNumber('LOAD_SAMPLE_S', 30),
  textBytes: envNumber('LOAD_TEXT_BYTES', 64),
  /** 1: the server runs with --expose-gc and each sample also reports memory after a full GC. */
  diag: envNumber('LOAD_DIAG', 0),
  /** A directory: heap snapshots of the server after warm-up and at the end are written there. */
  snapshots: process.env['LOAD_HEAP_SNAPSHOTS'] ?? '',
  /** A directory: the server writes a CPU profile (.cpuprofile) there when it exits. */
  cpuProf: process.env['LOAD_CPU_PROF'] ?? '',
  /** The server's storage engine (BENCH_ENGINE). */
  engine: benchEngines().join(',')
}
const DOC = resolve(import.meta.dirname, '../../docs/reliability.md')
const MiB = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`
const gcNote = (m: ServerMark): string =>
  m.afterGc
    ? ` (after GC: RSS ${MiB(m.afterGc.rss)}, heap ${MiB(m.afterGc.heapUsed)} of ${MiB(m.afterGc.heapTotal)}, external ${MiB(m.afterGc.external)}, array buffers ${MiB(m.afterGc.arrayBuffers)})`
    : ''
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ')

async function main(): Promise<void> {
  const m = machine()
  const loadAtStart = load()
  log(`load test: ${JSON.stringify(config)}; machine load average ${loadAtStart}`)
  const serverArgs = [...(config.diag ? ['--expose-gc'] : []), ...(config.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProf}`] : [])]
  const server = new Child(join(import.meta.dirname, 'load-server.ts'), 'server', serverArgs)
  const gens = Array.from({ length: config.gens }, (_, i) => new Child(join(import.meta.dirname, 'loadgen.ts'), `loadgen${i}`))
  try {
    const port = await server.call<number>('start', { sockets: config.sockets, groupSize: config.groupSize })
    const url = `http://127.0.0.1:${port}`
    const setupStart = Date.now()
    const run = `${process.pid}`
    const users = await mapLimit(Array.from({ length: config.sockets }, (_, i) => i), 16, (i) =>
      api<{ user: { id: string }; accessToken: string }>(url, 'POST', '/auth/register', { username: `load${run}_${i}`, password: 'load-password' })
    )
    log(`registered ${users.length} users in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`)
    const groups = Math.ceil(users.length / config.groupSize)
    const conversationOf = await mapLimit(Array.from({ length: groups }, (_, g) => g), 8, async (g) => {
      const members = users.slice(g * config.groupSize, (g + 1) * config.groupSize)
      const res = await api<{ conversation: { id: string } }>(
        url,
        'POST',
        '/conversations',
        { kind: 'group', title: `load ${g}`, memberIds: members.map((u) => u.user.id) },
        members[0]!.accessToken
      )
      return res.conversation.id
    })
    log(`created ${groups} groups; setup took ${((Date.now() - setupStart) / 1000).toFixed(1)} s`)
    // Members of a group sit in different load generators, so deliveries cross processes.
    const specs: LoadClient[][] = gens.map(() => [])
    users.forEach((u, i) => specs[i % gens.length]!.push({ token: u.accessToken, conversationId: conversationOf[Math.floor(i / config.groupSize)]! }))
    const connected = await Promise.all(gens.map((g, i) => g.call<number>('connect', { url, specs: specs[i] })))
    const sockets = connected.reduce((a, b) => a + b, 0)
    log(`connected ${sockets} sockets`)

    const text = 'x'.repeat(Math.max(0, config.textBytes - 20))
    await Promise.all(gens.map((g) => g.call('start', { perSecond: config.rate / gens.length, text })))
    await sleep(config.warmupS * 1000)
    await Promise.all(gens.map((g) => g.call<GenMark>('mark'))) // warm-up counts are dropped
    const first = await server.call<ServerMark>('mark')
    log(`warmed up: server RSS ${MiB(first.rss)}${gcNote(first)}`)
    if (config.snapshots) log(`heap snapshot ${await server.call<string>('snapshot', { dir: config.snapshots, name: 'warm' })}`)

    const delivery = newHistogram()
    const ack = newHistogram()
    const totals = { sent: 0, acks: 0, deliveries: 0, errors: 0, genCpuUs: 0 }
    const errorKinds: Record<string, number> = {}
    const rss: number[] = [first.rss]
    let minConnected = sockets
    const absorb = (marks: GenMark[]): void => {
      for (const g of marks) {
        totals.sent += g.sent
        totals.acks += g.acks
        totals.deliveries += g.deliveries
        totals.errors += g.errors
        totals.genCpuUs += g.cpuUs
        for (const [k, v] of Object.entries(g.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v
        merge(delivery, g.delivery)
        merge(ack, g.ack)
      }
      minConnected = Math.min(minConnected, marks.reduce((a, g) => a + g.connected, 0))
    }
    const started = Date.now()
    while (Date.now() - started < config.durationS * 1000) {
      await sleep(Math.min(config.sampleS * 1000, config.durationS * 1000 - (Date.now() - started)))
      absorb(await Promise.all(gens.map((g) => g.call<GenMark>('mark'))))
      const s = await server.call<ServerMark>('mark')
      rss.push(s.rss)
      log(`${Math.round((Date.now() - started) / 1000)} s: ${fmt(totals.acks)} acked, ${fmt(totals.deliveries)} delivered, ${totals.errors} errors ${JSON.stringify(errorKinds)}, p99 delivery ${fmt(percentile(delivery, 0.99), 1)} ms, RSS ${MiB(s.rss)}${gcNote(s)}, load ${load()}`)
    }
    const measuredS = (Date.now() - started) / 1000
    await Promise.all(gens.map((g) => g.call('stop')))
    // Let what is in flight land before the last count.
    await sleep(5_000)
    absorb(await Promise.all(gens.map((g) => g.call<GenMark>('mark'))))
    const last = await server.call<ServerMark>('mark')
    rss.push(last.rss)
    log(`end: server RSS ${MiB(last.rss)}${gcNote(last)}`)
    if (config.snapshots) log(`heap snapshot ${await server.call<string>('snapshot', { dir: config.snapshots, name: 'end' })}`)
    const cpuS = (last.cpu.user + last.cpu.system - first.cpu.user - first.cpu.system) / 1e6
    const genCpuS = totals.genCpuUs / 1e6
    const expected = totals.acks * (config.groupSize - 1)
    const growth = (last.rss - first.rss) / first.rss
    const result = {
      machine: describeMachine(m),
      loadAtStart,
      loadAtEnd: load(),
      ...config,
      sockets,
      minConnected,
      measuredS,
      sentPerS: totals.sent / measuredS,
      deliveriesPerS: totals.deliveries / measuredS,
      ...totals,
      missingDeliveries: Math.max(0, expected - totals.deliveries),
      errorKinds,
      deliveryP50: percentile(delivery, 0.5),
      deliveryP99: percentile(delivery, 0.99),
      deliveryMax: percentile(delivery, 1),
      ackP50: percentile(ack, 0.5),
      ackP99: percentile(ack, 0.99),
      samples: count(delivery),
      rssStart: first.rss,
      rssEnd: last.rss,
      rssMax: Math.max(...rss),
      growth,
      serverCores: cpuS / measuredS,
      genCores: genCpuS / measuredS,
      // Per message sent, each with groupSize - 1 deliveries.
      serverCpuMsPerMessage: (cpuS * 1000) / Math.max(1, totals.sent),
      genCpuMsPerMessage: (genCpuS * 1000) / Math.max(1, totals.sent)
    }
    log(JSON.stringify(result, null, 2))
    await writeDoc(result)
  } finally {
    await Promise.all(gens.map((g) => g.stop()))
    await server.stop(60_000)
  }
}

async function writeDoc(r: Record<string, any>): Promise<void> {
  const marker = r['engine'] === 'postgres' ? 'load-postgres' : 'load'
  const full = r['sockets'] >= 10_000 && r['rate'] >= 1_000 && r['durationS'] >= 600
  const section = [
    `<!-- ${marker}:start (written by ${r['engine'] === 'postgres' ? 'BENCH_ENGINE=postgres ' : ''}npm run bench:load) -->`,
    `Measured ${r['machine']}; load average ${r['loadAtStart']} at the start, ${r['loadAtEnd']} at the end (the machine was shared with other jobs).`,
    '',
    full ? 'The full run:' : `**A reduced run** (not the full 10,000 sockets × 1,000 msg/s × 10 min):`,
    '',
    '| | |',
    '| --- | ---: |',
    ...(r['engine'] === 'postgres' ? ['| Storage engine | PostgreSQL (BENCH_ENGINE=postgres; server CPU below is the Node process only) |'] : []),
    `| Sockets held (one user each) | ${fmt(r['sockets'])} (fewest connected at a sample: ${fmt(r['minConnected'])}) |`,
    `| Groups | ${fmt(Math.ceil(r['sockets'] / r['groupSize']))} of ${r['groupSize']} |`,
    `| Load generators | ${r['gens']} processes |`,
    `| Measured | ${fmt(r['measuredS'])} s after ${r['warmupS']} s of warm-up |`,
    `| Messages sent | ${fmt(r['sent'])} (${fmt(r['sentPerS'], 1)}/s; asked for ${fmt(r['rate'])}/s) |`,
    `| Deliveries (message:new) | ${fmt(r['deliveries'])} (${fmt(r['deliveriesPerS'])}/s); missing ${fmt(r['missingDeliveries'])} |`,
    `| Delivery latency p50 / p99 / max | ${fmt(r['deliveryP50'], 1)} ms / ${fmt(r['deliveryP99'], 1)} ms / ${fmt(r['deliveryMax'], 1)} ms |`,
    `| Ack latency p50 / p99 | ${fmt(r['ackP50'], 1)} ms / ${fmt(r['ackP99'], 1)} ms |`,
    `| Server RSS after warm-up → end (max) | ${MiB(r['rssStart'])} → ${MiB(r['rssEnd'])} (${MiB(r['rssMax'])}); growth ${(r['growth'] * 100).toFixed(1)}% (target ≤ 5%: ${r['growth'] <= 0.05 ? 'met' : 'missed'}) |`,
    `| Server CPU | ${fmt(r['serverCores'], 2)} cores (${fmt(r['serverCpuMsPerMessage'], 2)} ms per message sent) |`,
    `| Load generators' CPU | ${fmt(r['genCores'], 2)} cores (${fmt(r['genCpuMsPerMessage'], 2)} ms per message sent) |`,
    `| Errors | ${fmt(r['errors'])}${r['errors'] ? ` (${Object.entries(r['errorKinds'] as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} |`,
    '',
    `Command: \`${r['engine'] === 'postgres' ? 'BENCH_ENGINE=postgres ' : ''}LOAD_SOCKETS=${r['sockets']} LOAD_RATE=${r['rate']} LOAD_DURATION_S=${r['durationS']} LOAD_WARMUP_S=${r['warmupS']} LOAD_GENS=${r['gens']} npm run bench:load\``,
    `<!-- ${marker}:end -->`
  ].join('\n')
  const doc = await readFile(DOC, 'utf8')
  const markers = new RegExp(`<!-- ${marker}:start[\\s\\S]*?<!-- ${marker}:end -->`)
  // The PostgreSQL figures get a section of their own after the data directory's, made on their first run.
  const next = markers.test(doc)
    ? doc.replace(markers, section)
    : marker === 'load-postgres' && doc.includes('<!-- load:end -->')
      ? doc.replace('<!-- load:end -->', `<!-- load:end -->\n\n#### On PostgreSQL\n\n${section}`)
      : doc
  if (next === doc && !doc.includes(section)) throw new Error(`docs/reliability.md has no <!-- ${marker}:start --> … <!-- ${marker}:end --> markers`)
  await writeFile(DOC, next)
  log('wrote docs/reliability.md')
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
