// Load test: LOAD_SOCKETS authenticated sockets (one user each, in groups of
// LOAD_GROUP_SIZE) from LOAD_GENS load-generator processes on loopback, held
// for LOAD_DURATION_S at LOAD_RATE messages/s after LOAD_WARMUP_S of warm-up.
// Reports delivery and ack latency, the server's RSS after warm-up and at the
// end, and errors; writes the figures into docs/reliability.md.
// BENCH_ENGINE=postgres runs the server on PostgreSQL (see load-server.ts);
// with LOAD_NODES=2 on two nodes joined through a private Redis, each socket on
// one of them in turn (see load-nodes.ts).
import { readFile, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { benchEngines } from '../bench/engines'
import { Child } from '../bench/rpc'
import { api, describeMachine, envNumber, fmt, log, machine, mapLimit, sleep } from '../bench/util'
import { count, merge, newHistogram, percentile } from './histogram'
import { startLoadNodes } from './load-nodes'
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
  engine: benchEngines().join(','),
  /** Server processes; more than one runs on PostgreSQL with a private Redis between them. */
  nodes: Math.max(1, envNumber('LOAD_NODES', 1))
}
/** LOAD_DOC=<file> writes elsewhere (trial runs), else docs/reliability.md. */
const DOC = process.env['LOAD_DOC'] ? resolve(process.env['LOAD_DOC']) : resolve(import.meta.dirname, '../../docs/reliability.md')
const MiB = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`
const gcNote = (m: ServerMark): string =>
  m.afterGc
    ? ` (after GC: RSS ${MiB(m.afterGc.rss)}, heap ${MiB(m.afterGc.heapUsed)} of ${MiB(m.afterGc.heapTotal)}, external ${MiB(m.afterGc.external)}, array buffers ${MiB(m.afterGc.arrayBuffers)})`
    : ''
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ')
/** Several nodes' marks as one server's: memory and CPU summed. */
function summed(marks: ServerMark[]): ServerMark {
  const add = (pick: (m: ServerMark) => number): number => marks.reduce((n, m) => n + pick(m), 0)
  const out: ServerMark = { rss: add((m) => m.rss), heapUsed: add((m) => m.heapUsed), cpu: { user: add((m) => m.cpu.user), system: add((m) => m.cpu.system) }, at: marks[0]!.at }
  if (marks.every((m) => m.afterGc)) {
    const gc = (pick: (g: NonNullable<ServerMark['afterGc']>) => number): number => add((m) => pick(m.afterGc!))
    out.afterGc = { rss: gc((g) => g.rss), heapTotal: gc((g) => g.heapTotal), heapUsed: gc((g) => g.heapUsed), external: gc((g) => g.external), arrayBuffers: gc((g) => g.arrayBuffers) }
  }
  return out
}
const cpuUs = (m: ServerMark): number => m.cpu.user + m.cpu.system

async function main(): Promise<void> {
  const m = machine()
  const loadAtStart = load()
  log(`load test: ${JSON.stringify(config)}; machine load average ${loadAtStart}`)
  const serverArgs = [...(config.diag ? ['--expose-gc'] : []), ...(config.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProf}`] : [])]
  const gens: Child[] = []
  const nodes = await startLoadNodes(config.nodes, serverArgs, { sockets: config.sockets, groupSize: config.groupSize })
  try {
    gens.push(...Array.from({ length: config.gens }, (_, i) => new Child(join(import.meta.dirname, 'loadgen.ts'), `loadgen${i}`)))
    const url = nodes.urls[0]!
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
    // With several nodes, socket i goes to node i mod nodes (signed in there), so a group's members are spread over all of them.
    const tokens = await mapLimit(users, 16, async (u, i) => {
      const node = i % config.nodes
      if (node === 0) return u.accessToken
      const res = await api<{ accessToken: string }>(nodes.urls[node]!, 'POST', '/auth/login', { username: `load${run}_${i}`, password: 'load-password' })
      return res.accessToken
    })
    log(`created ${groups} groups; setup took ${((Date.now() - setupStart) / 1000).toFixed(1)} s`)
    // Members of a group sit in different load generators, so deliveries cross processes.
    const specs: LoadClient[][] = gens.map(() => [])
    tokens.forEach((token, i) => {
      const node = i % config.nodes
      specs[i % gens.length]!.push({ token, conversationId: conversationOf[Math.floor(i / config.groupSize)]!, node, url: nodes.urls[node]! })
    })
    const connected = await Promise.all(gens.map((g, i) => g.call<number>('connect', { url, specs: specs[i] })))
    const sockets = connected.reduce((a, b) => a + b, 0)
    log(`connected ${sockets} sockets`)

    const text = 'x'.repeat(Math.max(0, config.textBytes - 20))
    await Promise.all(gens.map((g) => g.call('start', { perSecond: config.rate / gens.length, text })))
    await sleep(config.warmupS * 1000)
    await Promise.all(gens.map((g) => g.call<GenMark>('mark'))) // warm-up counts are dropped
    const firstNodes = await nodes.mark()
    const first = summed(firstNodes)
    const redisFirst = await nodes.redisCpuUs()
    log(`warmed up: server RSS ${MiB(first.rss)}${gcNote(first)}`)
    if (config.snapshots) log(`heap snapshot ${(await nodes.snapshot(config.snapshots, 'warm')).join(', ')}`)

    const delivery = newHistogram()
    const ack = newHistogram()
    const crossNode = newHistogram()
    const sameNode = newHistogram()
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
        merge(crossNode, g.crossNode)
        merge(sameNode, g.sameNode)
      }
      minConnected = Math.min(minConnected, marks.reduce((a, g) => a + g.connected, 0))
    }
    const started = Date.now()
    while (Date.now() - started < config.durationS * 1000) {
      await sleep(Math.min(config.sampleS * 1000, config.durationS * 1000 - (Date.now() - started)))
      absorb(await Promise.all(gens.map((g) => g.call<GenMark>('mark'))))
      const s = summed(await nodes.mark())
      rss.push(s.rss)
      log(`${Math.round((Date.now() - started) / 1000)} s: ${fmt(totals.acks)} acked, ${fmt(totals.deliveries)} delivered, ${totals.errors} errors ${JSON.stringify(errorKinds)}, p99 delivery ${fmt(percentile(delivery, 0.99), 1)} ms, RSS ${MiB(s.rss)}${gcNote(s)}, load ${load()}`)
    }
    const measuredS = (Date.now() - started) / 1000
    await Promise.all(gens.map((g) => g.call('stop')))
    // Let what is in flight land before the last count.
    await sleep(5_000)
    absorb(await Promise.all(gens.map((g) => g.call<GenMark>('mark'))))
    const lastNodes = await nodes.mark()
    const last = summed(lastNodes)
    const redisLast = await nodes.redisCpuUs()
    rss.push(last.rss)
    log(`end: server RSS ${MiB(last.rss)}${gcNote(last)}`)
    if (config.snapshots) log(`heap snapshot ${(await nodes.snapshot(config.snapshots, 'end')).join(', ')}`)
    const cpuS = (last.cpu.user + last.cpu.system - first.cpu.user - first.cpu.system) / 1e6
    const genCpuS = totals.genCpuUs / 1e6
    const expected = totals.acks * (config.groupSize - 1)
    const growth = (last.rss - first.rss) / first.rss
    const result = {
      machine: describeMachine(m),
      cores: m.cores,
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
      genCpuMsPerMessage: (genCpuS * 1000) / Math.max(1, totals.sent),
      // Several nodes only: each node's share, Redis's CPU, and deliveries by whether they crossed nodes.
      rssStartPerNode: firstNodes.map((n) => n.rss),
      rssEndPerNode: lastNodes.map((n) => n.rss),
      coresPerNode: lastNodes.map((n, i) => (cpuUs(n) - cpuUs(firstNodes[i]!)) / 1e6 / measuredS),
      redisCores: (redisLast - redisFirst) / 1e6 / measuredS,
      redisCpuMsPerMessage: (redisLast - redisFirst) / 1000 / Math.max(1, totals.sent),
      crossNodeDeliveries: count(crossNode),
      crossNodeP50: percentile(crossNode, 0.5),
      crossNodeP99: percentile(crossNode, 0.99),
      sameNodeDeliveries: count(sameNode),
      sameNodeP50: percentile(sameNode, 0.5),
      sameNodeP99: percentile(sameNode, 0.99)
    }
    log(JSON.stringify(result, null, 2))
    await writeDoc(result)
  } finally {
    await Promise.all(gens.map((g) => g.stop()))
    await nodes.stop()
  }
}

async function writeDoc(r: Record<string, any>): Promise<void> {
  const nodes = r['nodes'] as number
  const marker = nodes > 1 ? 'load-cluster' : r['engine'] === 'postgres' ? 'load-postgres' : 'load'
  const env = `${r['engine'] === 'postgres' ? 'BENCH_ENGINE=postgres ' : ''}${nodes > 1 ? `LOAD_NODES=${nodes} ` : ''}`
  const full = r['sockets'] >= 10_000 && r['rate'] >= 1_000 && r['durationS'] >= 600
  const perNode = (values: number[], show: (v: number) => string): string => values.map(show).join(' + ')
  const latency = (p50: number, p99: number): string => `${fmt(p50, 1)} ms / ${fmt(p99, 1)} ms`
  const section = [
    `<!-- ${marker}:start (written by ${env}npm run bench:load) -->`,
    `Measured ${r['machine']}; load average ${r['loadAtStart']} at the start, ${r['loadAtEnd']} at the end (the machine was shared with other jobs).`,
    '',
    full ? 'The full run:' : `**A reduced run** (not the full 10,000 sockets × 1,000 msg/s × 10 min):`,
    ...(nodes > 1
      ? [
          '',
          `On this machine that is the cost of ${nodes} nodes, not their capacity: the nodes, PostgreSQL, Redis and the ` +
            `load generators share its ${r['cores']} cores, so a second node adds work and no CPU.`
        ]
      : []),
    '',
    '| | |',
    '| --- | ---: |',
    ...(nodes > 1
      ? [
          `| Nodes | ${nodes} server processes on one PostgreSQL database, joined through one redis-server (LOAD_NODES=${nodes}); socket i on node i mod ${nodes} |`
        ]
      : r['engine'] === 'postgres'
        ? ['| Storage engine | PostgreSQL (BENCH_ENGINE=postgres; server CPU below is the Node process only) |']
        : []),
    `| Sockets held (one user each) | ${fmt(r['sockets'])} (fewest connected at a sample: ${fmt(r['minConnected'])}) |`,
    `| Groups | ${fmt(Math.ceil(r['sockets'] / r['groupSize']))} of ${r['groupSize']} |`,
    `| Load generators | ${r['gens']} processes |`,
    `| Measured | ${fmt(r['measuredS'])} s after ${r['warmupS']} s of warm-up |`,
    `| Messages sent | ${fmt(r['sent'])} (${fmt(r['sentPerS'], 1)}/s; asked for ${fmt(r['rate'])}/s) |`,
    `| Deliveries (message:new) | ${fmt(r['deliveries'])} (${fmt(r['deliveriesPerS'])}/s); missing ${fmt(r['missingDeliveries'])} |`,
    `| Delivery latency p50 / p99 / max | ${fmt(r['deliveryP50'], 1)} ms / ${fmt(r['deliveryP99'], 1)} ms / ${fmt(r['deliveryMax'], 1)} ms |`,
    ...(nodes > 1
      ? [
          `| Delivery latency p50 / p99, sender on another node | ${latency(r['crossNodeP50'], r['crossNodeP99'])} (${fmt(r['crossNodeDeliveries'])} deliveries, ${fmt((100 * r['crossNodeDeliveries']) / Math.max(1, r['deliveries']))}%) |`,
          `| Delivery latency p50 / p99, sender on the same node | ${latency(r['sameNodeP50'], r['sameNodeP99'])} (${fmt(r['sameNodeDeliveries'])} deliveries) |`
        ]
      : []),
    `| Ack latency p50 / p99 | ${fmt(r['ackP50'], 1)} ms / ${fmt(r['ackP99'], 1)} ms |`,
    `| Server RSS after warm-up → end (max)${nodes > 1 ? ', all nodes' : ''} | ${MiB(r['rssStart'])} → ${MiB(r['rssEnd'])} (${MiB(r['rssMax'])}); growth ${(r['growth'] * 100).toFixed(1)}% (target ≤ 5%: ${r['growth'] <= 0.05 ? 'met' : 'missed'}) |`,
    ...(nodes > 1 ? [`| RSS per node after warm-up → end | ${(r['rssStartPerNode'] as number[]).map((v, i) => `${MiB(v)} → ${MiB((r['rssEndPerNode'] as number[])[i]!)}`).join('; ')} |`] : []),
    `| Server CPU | ${fmt(r['serverCores'], 2)} cores${nodes > 1 ? ` (${perNode(r['coresPerNode'] as number[], (v) => fmt(v, 2))} by node)` : ''} (${fmt(r['serverCpuMsPerMessage'], 2)} ms per message sent) |`,
    ...(nodes > 1 ? [`| Redis CPU | ${fmt(r['redisCores'], 2)} cores (${fmt(r['redisCpuMsPerMessage'], 3)} ms per message sent; INFO used_cpu_sys + used_cpu_user) |`] : []),
    `| Load generators' CPU | ${fmt(r['genCores'], 2)} cores (${fmt(r['genCpuMsPerMessage'], 2)} ms per message sent) |`,
    `| Errors | ${fmt(r['errors'])}${r['errors'] ? ` (${Object.entries(r['errorKinds'] as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} |`,
    '',
    `Command: \`${env}LOAD_SOCKETS=${r['sockets']} LOAD_RATE=${r['rate']} LOAD_DURATION_S=${r['durationS']} LOAD_WARMUP_S=${r['warmupS']} LOAD_GENS=${r['gens']} npm run bench:load\``,
    `<!-- ${marker}:end -->`
  ].join('\n')
  const doc = await readFile(DOC, 'utf8')
  const markers = new RegExp(`<!-- ${marker}:start[\\s\\S]*?<!-- ${marker}:end -->`)
  // PostgreSQL's figures, then several nodes', get a section of their own after the previous one, made on their first run.
  const after = marker === 'load-postgres' ? { end: '<!-- load:end -->', heading: 'On PostgreSQL' } : marker === 'load-cluster' ? { end: '<!-- load-postgres:end -->', heading: `On ${nodes} nodes (PostgreSQL and Redis)` } : null
  const next = markers.test(doc)
    ? doc.replace(markers, section)
    : after && doc.includes(after.end)
      ? doc.replace(after.end, `${after.end}\n\n#### ${after.heading}\n\n${section}`)
      : doc
  if (next === doc && !doc.includes(section)) throw new Error(`${DOC} has no <!-- ${marker}:start --> … <!-- ${marker}:end --> markers`)
  await writeFile(DOC, next)
  log(`wrote ${DOC}`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
