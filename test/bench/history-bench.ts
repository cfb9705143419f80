// npx tsx test/bench/history-bench.ts — the segment cache's hot paths, this
// checkout against BENCH_BASELINE_DIR's (required) in one process, taking
// turns, so background load hits both alike:
//   hot      history pages (FileMessageRepo.page, 50 messages before a random seq)
//            from conversations whose segments all fit the cache: every read a hit
//   churn    the same over conversations far larger than the cache: mostly misses
//   append   SegmentCache.appendIfCached on cached tail segments (what every durable
//            message does), no disk
//   BENCH_WORKLOADS (hot,churn,append), BENCH_CONVERSATIONS (200), BENCH_HISTORY (5120
//   messages each), BENCH_HOT (5 conversations), BENCH_ROUNDS (8), BENCH_READS (5000 per
//   turn), BENCH_APPENDS (200000 per turn)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as RepoModule from '../../server/store/messages/file-message-repo'
import type * as CacheModule from '../../server/store/messages/segment-cache'
import type { Message } from '../../src/shared/schemas/messages'
import { baseline, baselineModule } from './engines'
import { writeHistory } from './store-data'
import { describeMachine, envNumber, log, machine, median } from './util'

type Contender = { name: string; repo: typeof RepoModule; cache: typeof CacheModule }
type Workload = 'hot' | 'churn' | 'append'

const conversations = envNumber('BENCH_CONVERSATIONS', 200)
const history = envNumber('BENCH_HISTORY', 5120)
const hot = envNumber('BENCH_HOT', 5)
const rounds = envNumber('BENCH_ROUNDS', 8)
const reads = envNumber('BENCH_READS', 5000)
const appends = envNumber('BENCH_APPENDS', 200_000)
const workloads = (process.env['BENCH_WORKLOADS'] ?? 'hot,churn,append').split(',') as Workload[]

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

/** CPU microseconds per operation of one turn. */
async function turn(c: Contender, repo: RepoModule.FileMessageRepo, workload: Workload): Promise<number> {
  const started = process.cpuUsage()
  if (workload === 'append') {
    const cache = new c.cache.SegmentCache(256, 32_768)
    const message = { id: id(0), seq: 1, text: 'x' } as Message
    for (let k = 0; k < 64; k++) cache.set(`${id(k)}/0`, [])
    for (let i = 0; i < appends; i++) {
      const key = `${id(i % 64)}/0`
      cache.appendIfCached(key, message)
      // A tail segment holds at most SEGMENT_SIZE messages: start it again, as a new segment would.
      if (i % 512 === 511) cache.set(key, [])
    }
  } else {
    const spread = workload === 'hot' ? hot : conversations
    for (let i = 0; i < reads; i++) {
      const conversation = id(Math.floor(Math.random() * spread))
      await repo.page(conversation, { before: 1 + Math.floor(Math.random() * history), limit: 50 })
    }
  }
  const used = process.cpuUsage(started)
  return (used.user + used.system) / (workload === 'append' ? appends : reads)
}

async function main(): Promise<void> {
  const base = baseline()
  if (!base) throw new Error('set BENCH_BASELINE_DIR to a checkout to compare with')
  log(`history bench: ${describeMachine(machine())}`)
  const contenders: Contender[] = [
    { name: 'this checkout', repo: await import('../../server/store/messages/file-message-repo'), cache: await import('../../server/store/messages/segment-cache') },
    {
      name: `baseline ${base.commit}`,
      repo: await baselineModule<typeof RepoModule>(base, 'server/store/messages/file-message-repo.ts'),
      cache: await baselineModule<typeof CacheModule>(base, 'server/store/messages/segment-cache.ts')
    }
  ]
  const root = await mkdtemp(join(tmpdir(), 'messenger-history-bench-'))
  try {
    for (let c = 0; c < conversations; c++) await writeHistory(root, id(c), history, [id(9000), id(9001)])
    log(`wrote ${conversations} conversations × ${history} messages`)
    // Both read the same files (reads only), each through its own repository and cache.
    const repos = await Promise.all(contenders.map((c) => c.repo.FileMessageRepo.open(root)))
    const results = new Map<string, number[]>()
    for (const workload of workloads) {
      // One turn each first, not counted: fills the caches and warms the JIT.
      for (let i = 0; i < contenders.length; i++) await turn(contenders[i]!, repos[i]!, workload)
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0]
        for (const i of order) {
          const key = `${workload}\t${contenders[i]!.name}`
          results.set(key, [...(results.get(key) ?? []), await turn(contenders[i]!, repos[i]!, workload)])
        }
      }
    }
    await Promise.all(repos.map((r) => r.close()))
    log('\n| Workload | Code | CPU per operation, median (per round) |\n| --- | --- | --- |')
    for (const [key, samples] of results) {
      const [workload, name] = key.split('\t')
      log(`| ${workload} | ${name} | ${median(samples).toFixed(2)} µs (${samples.map((s) => s.toFixed(2)).join(', ')}) |`)
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
