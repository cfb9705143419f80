// Renders the several-nodes part (cluster-run.ts) as the "Several nodes"
// subsection of docs/benchmarks.md.
import { readFileSync } from 'node:fs'
import { type ClusterComparison, type ClusterResult, type ClusterRunResult, describeClusterLoad, nodeCount, type RoundFigures } from './cluster-run'
import type { ClusterKind } from './cluster-types'
import { CLUSTER_HEADING, type Section } from './report'
import { describeMachine, fmt, type Machine, median } from './util'

const LABEL: Record<ClusterKind, string> = {
  single: '(1) one node',
  'single-redis': '(1r) one node with Redis',
  two: '(2) two nodes, 1 → 2'
}

const ms = (v: number): string => `${fmt(v, 1)} ms`
const us = (v: number): string => (Number.isFinite(v) ? `${fmt(v, 1)} µs` : '—')
const cores = (v: number): string => (Number.isFinite(v) ? fmt(v, 2) : '—')
const x = (v: number): string => `${fmt(v, 2)}×`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const orZero = (v: number): number => (Number.isFinite(v) ? v : 0)
const whole = (r: ClusterResult): number => r.nodesCpuPerDeliveryUs + orZero(r.redisCpuPerDeliveryUs) + r.dbCpuPerDeliveryUs

function resultRow(r: ClusterResult, c: ClusterRunResult): string {
  return row([
    LABEL[r.kind],
    describeClusterLoad(r.phase, c.config),
    fmt(r.deliveriesPerSec),
    ms(r.deliveryP50),
    ms(r.deliveryP99),
    ms(r.ackP50),
    ms(r.ackP99),
    us(r.nodesCpuPerDeliveryUs),
    us(r.redisCpuPerDeliveryUs),
    us(r.dbCpuPerDeliveryUs),
    us(whole(r)),
    r.nodeCores.map((v) => fmt(v, 2)).join(' + '),
    cores(r.redisCores),
    cores(r.dbCores),
    cores(r.loadgenCores),
    cores(r.otherCores),
    `${r.errors} / ${r.skipped}`
  ])
}

const find = (c: ClusterComparison, kind: ClusterKind): ClusterResult | undefined => c.results.find((r) => r.kind === kind)

/** "1.23× (per round 1.1, 1.3, …; median 1.2)": the whole phase's ratio, then round i of each against round i of the other. */
function ratio(a: ClusterResult, b: ClusterResult, total: (r: ClusterResult) => number, perRound: (r: RoundFigures) => number): string {
  const rounds = a.rounds.map((ra, i) => perRound(ra) / perRound(b.rounds[i]!))
  return `**${x(total(a) / total(b))}** (per round ${rounds.map((v) => fmt(v, 2)).join(', ')}; median ${fmt(median(rounds), 2)})`
}

function ratioLines(c: ClusterComparison, kind: ClusterKind, saturated: boolean): string[] {
  const a = find(c, kind)
  const b = find(c, 'single')
  if (!a || !b) return []
  const label = LABEL[kind].split(' ', 1)[0]!
  const lines: string[] = []
  if (saturated) {
    lines.push(
      `- ${label}/(1), saturated: deliveries/s ${ratio(a, b, (r) => r.deliveriesPerSec, (r) => r.deliveriesPerSec)}; ` +
        `nodes' CPU per delivery ${ratio(a, b, (r) => r.nodesCpuPerDeliveryUs, (r) => r.nodesCpuPerDeliveryUs)}; ` +
        `with Redis and PostgreSQL counted ${x(whole(a) / whole(b))}.`
    )
  } else {
    lines.push(
      `- ${label}/(1) at the fixed rate: delivery p50 ${ratio(a, b, (r) => r.deliveryP50, (r) => r.deliveryP50)}, ` +
        `p99 ${ratio(a, b, (r) => r.deliveryP99, (r) => r.deliveryP99)}; nodes' CPU per delivery ` +
        `${ratio(a, b, (r) => r.nodesCpuPerDeliveryUs, (r) => r.nodesCpuPerDeliveryUs)}; nodes + Redis ` +
        `${x((a.nodesCpuPerDeliveryUs + orZero(a.redisCpuPerDeliveryUs)) / b.nodesCpuPerDeliveryUs)}; ` +
        `nodes + Redis + PostgreSQL ${x(whole(a) / whole(b))}.`
    )
    if (a.nodeCores.length > 1) {
      const [senders, receivers] = a.nodeCores.map((v) => us((v * 1e6) / a.deliveriesPerSec))
      lines.push(
        `- Where ${label}'s node CPU goes at the fixed rate, per delivery: node 1 ${senders} (the senders': validates, ` +
          `commits, acks, publishes to Redis), node 2 ${receivers} (the receivers': from Redis to its sockets); (1) does it all in ` +
          `${us(b.nodesCpuPerDeliveryUs)}.`
      )
    }
  }
  return lines
}

export function renderCluster(r: ClusterRunResult, m: Machine): Section {
  const c = r.config
  const groups = Math.ceil(c.clients / c.groupSize)
  const phases = [r.fixedRate, ...(r.saturated ? [r.saturated] : [])]
  const n = c.kinds.length
  const lines = [
    CLUSTER_HEADING,
    '',
    `Measured ${describeMachine(m)}${osName()}, at ${r.commit}; ${r.postgres} and ${r.redis}, all on the same machine.`,
    '',
    `**On this ${m.cores}-core machine these figures are the cost of the cluster, not its capacity**: every node, ` +
      `PostgreSQL, Redis and the load generators share the same ${m.cores} cores, so a second node adds work and no CPU. ` +
      `What they measure is what crossing nodes adds to each delivery (latency, CPU of the nodes and of Redis); ` +
      `how many deliveries/s several machines would sustain is not measured here.`,
    '',
    `\`BENCH_PART=cluster npm run bench:server\` (needs \`BENCH_DATABASE_URL\` or \`MESSENGER_TEST_DATABASE_URL\` and ` +
      `\`redis-server\`; see \`clusterConfig\` in test/bench/cluster-run.ts). ${c.clients} socket.io-client sockets (one user ` +
      `each) in ${groups} groups of ${c.groupSize}; in each group one member sends and the ${c.groupSize - 1} others receive. ` +
      `Every contender is our server on PostgreSQL with a fresh database of its own: ` +
      `${c.kinds.map((k) => describeKind(k)).join('; ')}. Each node is a child process of its own (its CPU is ` +
      `\`process.cpuUsage()\` of that process, all threads; *nodes* sums them); *Redis* is the private redis-server's ` +
      `\`used_cpu_sys + used_cpu_user\` from \`INFO cpu\`; *PostgreSQL* the backends serving the contender's database ` +
      `plus the cluster's auxiliary processes (as in "Fan-out on PostgreSQL"). *Delivery* is from the send to ` +
      `\`message:new\` on a receiver (a group's sockets live in one load-generator process, so one clock times it); ` +
      `*ack* is from the send to its acknowledgement (after the commit). All ${n} contenders are up at the same time and ` +
      `are measured in ${c.rounds} rounds of ${n} windows of ${fmt(c.durationMs / c.rounds / 1000, 1)} s (each after ` +
      `${fmt(c.warmupMs / 1000, 1)} s of warm-up), the order turning by one each round, so background load hits all alike.`,
    '',
    row(['Setup', 'Load', 'Deliveries/s', 'Delivery p50', 'Delivery p99', 'Ack p50', 'Ack p99', 'Nodes CPU / delivery', 'Redis CPU / delivery', 'PostgreSQL CPU / delivery', 'All / delivery', 'Nodes (cores)', 'Redis (cores)', 'PostgreSQL (cores)', 'Load-gen (cores)', 'Other (cores)', 'Errors / skipped']),
    row(['---', '---', ...Array.from({ length: 15 }, () => '---:')]),
    ...phases.flatMap((p) => p.results.map((res) => resultRow(res, r))),
    '',
    ...c.kinds.filter((k) => k !== 'single').flatMap((k) => ratioLines(r.fixedRate, k, false)),
    ...(r.saturated ? c.kinds.filter((k) => k !== 'single').flatMap((k) => ratioLines(r.saturated!, k, true)) : [])
  ]
  const gone = phases.flatMap((p) => p.results).reduce((sum, res) => sum + res.dbGone, 0)
  if (gone > 0) lines.push(`- ${gone} PostgreSQL backends ended inside a measured window; their CPU in it is missing.`)
  lines.push(
    `- "Other" is what the rest of the machine used meanwhile (other jobs); when it is large, latencies and deliveries/s ` +
      `swing from window to window, which the per-round ratios show.`
  )
  return { heading: CLUSTER_HEADING, body: lines.join('\n') + '\n' }
}

/** ", Debian GNU/Linux 12 (bookworm)" from /etc/os-release, or nothing. */
function osName(): string {
  try {
    const name = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    return name ? ` (${name})` : ''
  } catch {
    // not Linux, or no os-release: describeMachine's platform says enough
    return ''
  }
}

function describeKind(k: ClusterKind): string {
  switch (k) {
    case 'single':
      return `${LABEL[k]}: sender and receivers on one node without Redis, as one server is deployed today`
    case 'single-redis':
      return `${LABEL[k]}: the same, with the Redis adapter on (every broadcast is also published to Redis; nothing crosses)`
    case 'two':
      return `${LABEL[k]}: ${nodeCount(k)} nodes on one database and one Redis, every sender on node 1 and every receiver on node 2, so every delivery crosses through Redis`
  }
}
