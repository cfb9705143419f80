// npm run bench:search — message search over 1M stored messages: how long the
// background catch-up takes to index them all, query latency over HTTP by
// query class, and the CPU an index update costs per message. Results update
// the "Search" section of docs/benchmarks.md.
//
//   BENCH_SEARCH_MESSAGES (1000000), BENCH_SEARCH_CONVERSATIONS (200), BENCH_SEARCH_USERS (100),
//   BENCH_SEARCH_VOCABULARY (4000), BENCH_SEARCH_QUERIES (200 per class), BENCH_SEARCH_DEEP_QUERIES (200 per class),
//   BENCH_SEARCH_WARMUP (20 per class), BENCH_SEARCH_PUTS (2000), BENCH_SEARCH_NO_DOC=1 (do not touch the doc),
//   BENCH_KEEP_DATA=1 (keep the data directory)
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMessengerServer, silentLogger } from '../../server'
import { SearchIndex, toMatchQuery } from '../../server/search/search-index'
import { searchTerms } from '../../server/services/search.service'
import { DOC_PATH } from './report'
import { Child } from './rpc'
import { makeCorpus, pick, rng, spreadTimes, TextMaker, writeConversation, type Random } from './search-data'
import { measurePuts, type PutCost } from './search-put'
import type { CaughtUp, ServerStats } from './search-server'
import { renderSearch, updateSearchDoc } from './search-report'
import { api, type BenchUser, describeMachine, envNumber, log, machine, mapLimit, registerUsers } from './util'

export interface SearchConfig {
  messages: number
  conversations: number
  users: number
  vocabulary: number
  queries: number
  deepQueries: number
  warmup: number
  puts: number
}

function searchConfig(): SearchConfig {
  return {
    messages: envNumber('BENCH_SEARCH_MESSAGES', 1_000_000),
    conversations: Math.max(40, envNumber('BENCH_SEARCH_CONVERSATIONS', 200)),
    users: Math.max(60, envNumber('BENCH_SEARCH_USERS', 100)),
    vocabulary: envNumber('BENCH_SEARCH_VOCABULARY', 4000),
    queries: envNumber('BENCH_SEARCH_QUERIES', 200),
    deepQueries: envNumber('BENCH_SEARCH_DEEP_QUERIES', 200),
    warmup: envNumber('BENCH_SEARCH_WARMUP', 20),
    puts: envNumber('BENCH_SEARCH_PUTS', 2000)
  }
}

const SEED = 20_260_101
const YEAR_MS = 365 * 24 * 3600 * 1000
/**
 * The users whose searches are measured: A is in about 100 conversations, B
 * in about 10, C (the worst case for a scan filtered by scope) in one small
 * direct chat.
 */
export type Who = 'A' | 'B' | 'C'
const WHO: Who[] = ['A', 'B', 'C']
const HEAVY = 0
const LIGHT = 1
const userIndex = (who: Who, config: SearchConfig): number => (who === 'A' ? HEAVY : who === 'B' ? LIGHT : config.users - 1)

interface PlannedConversation {
  kind: 'direct' | 'group'
  /** User indexes; the first creates it. */
  members: number[]
  messages: number
}

/**
 * Half direct chats, half groups. User A is in half of each (about 100 of
 * 200), user B in 2 direct chats and 8 groups, user C only in the smallest
 * direct chat; the rest are among the other users. Sizes follow a Zipf-like
 * curve in random order.
 */
function planConversations(config: SearchConfig, random: Random): PlannedConversation[] {
  const directs = Math.floor(config.conversations / 2)
  const groups = config.conversations - directs
  const sparse = userIndex('C', config)
  const others = Array.from({ length: config.users - 3 }, (_, i) => i + 2)
  const plan: PlannedConversation[] = []
  const pairs = new Set<string>()
  const direct = (a: number, b: number): void => {
    pairs.add(`${Math.min(a, b)}-${Math.max(a, b)}`)
    plan.push({ kind: 'direct', members: [a, b], messages: 0 })
  }
  for (let i = 0; i < Math.floor(directs / 2); i++) direct(HEAVY, others[i % others.length]!)
  direct(LIGHT, others[0]!)
  direct(LIGHT, others[1]!)
  const sparseChat = plan.length
  direct(sparse, others[2]!)
  while (plan.length < directs) {
    const a = pick(random, others.slice(2))
    const b = pick(random, others.slice(2))
    if (a === b || pairs.has(`${Math.min(a, b)}-${Math.max(a, b)}`)) continue
    direct(a, b)
  }
  for (let g = 0; g < groups; g++) {
    const members = new Set<number>()
    if (g < Math.floor(groups / 2)) members.add(HEAVY)
    if (g < 4 || (g >= Math.floor(groups / 2) && g < Math.floor(groups / 2) + 4)) members.add(LIGHT)
    const size = 3 + Math.floor(random() ** 2 * 30)
    while (members.size < size) members.add(pick(random, others))
    plan.push({ kind: 'group', members: [...members], messages: 0 })
  }
  const weights = plan.map((_, i) => 1 / (i + 1) ** 0.8)
  for (let i = weights.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[weights[i], weights[j]] = [weights[j]!, weights[i]!]
  }
  const total = weights.reduce((a, b) => a + b, 0)
  plan.forEach((c, i) => (c.messages = Math.max(1, Math.floor((config.messages * weights[i]!) / total))))
  const short = config.messages - plan.reduce((a, c) => a + c.messages, 0)
  plan.reduce((a, c) => (c.messages > a.messages ? c : a)).messages += short
  const smallest = plan.reduce((a, c) => (c.messages < a.messages ? c : a))
  ;[smallest.messages, plan[sparseChat]!.messages] = [plan[sparseChat]!.messages, smallest.messages]
  return plan
}

export interface Prepared {
  dataDir: string
  users: BenchUser[]
  plan: PlannedConversation[]
  conversationIds: string[]
  /** Rare token → indexes of the conversations it occurs in (one entry per occurrence). */
  rareUses: Map<string, number[]>
  corpus: ReturnType<typeof makeCorpus>
  apiSeconds: number
  writeSeconds: number
  meanTextChars: number
}

async function prepare(dataDir: string, config: SearchConfig): Promise<Prepared> {
  const random = rng(SEED)
  const plan = planConversations(config, random)
  let started = performance.now()
  const server = createMessengerServer({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    scryptN: 2 ** 12,
    accessTokenTtlSeconds: 4 * 3600,
    loginLimit: { windowMs: 60_000, max: 100_000 }
  })
  let users: BenchUser[]
  let conversationIds: string[]
  try {
    const { port } = await server.listen()
    const base = `http://127.0.0.1:${port}`
    users = await registerUsers(base, 'q', config.users)
    conversationIds = await mapLimit(plan, 4, async (c, i) => {
      const creator = users[c.members[0]!]!
      const body =
        c.kind === 'direct'
          ? { kind: 'direct', userId: users[c.members[1]!]!.id }
          : { kind: 'group', title: `search group ${i}`, memberIds: c.members.map((m) => users[m]!.id) }
      const res = await api<{ conversation: { id: string } }>(base, 'POST', '/conversations', body, creator.accessToken)
      return res.conversation.id
    })
  } finally {
    await server.close()
  }
  const apiSeconds = (performance.now() - started) / 1000
  // The index made so far holds only the groups' system messages; start from nothing.
  for (const suffix of ['', '-wal', '-shm']) await rm(join(dataDir, `search.sqlite${suffix}`), { force: true })

  started = performance.now()
  const corpus = makeCorpus(config.vocabulary, SEED + 1)
  const texts = new TextMaker(corpus, SEED + 2)
  const rareUses = new Map<string, number[]>()
  let chars = 0
  const end = Date.now() - 3600_000
  for (const [i, c] of plan.entries()) {
    const batch: string[] = []
    for (let k = 0; k < c.messages; k++) {
      const text = texts.text()
      chars += text.length
      batch.push(text)
      if (texts.lastRare) {
        const uses = rareUses.get(texts.lastRare) ?? []
        uses.push(i)
        rareUses.set(texts.lastRare, uses)
      }
    }
    const times = spreadTimes(random, c.messages, end - YEAR_MS, end)
    await writeConversation(
      join(dataDir, 'messages'),
      conversationIds[i]!,
      batch,
      times,
      c.members.map((m) => users[m]!.id),
      random
    )
  }
  const writeSeconds = (performance.now() - started) / 1000
  return { dataDir, users, plan, conversationIds, rareUses, corpus, apiSeconds, writeSeconds, meanTextChars: chars / config.messages }
}

export type QueryClass = 'common word' | 'rare word' | 'partial word' | 'two words' | 'no match'
export const CLASSES: QueryClass[] = ['common word', 'rare word', 'partial word', 'two words', 'no match']

/** `count` queries of one class (repeats allowed where the class is small). */
/** For deep pages the pools are narrowed to frequent words, so most chains have six pages. */
function makeQueries(kind: QueryClass, count: number, p: Prepared, random: Random, deep = false): string[] {
  const words = p.corpus.words
  const ranked = (from: number, to: number, minLength: number): string[] => words.slice(from, to).filter((w) => w.length >= minLength)
  const out: string[] = []
  switch (kind) {
    case 'common word': {
      const pool = ranked(0, 60, 3)
      for (let i = 0; i < count; i++) out.push(pool[i % pool.length]!)
      break
    }
    case 'rare word': {
      const pool = [...p.rareUses.keys()]
      for (let i = 0; i < count; i++) out.push(pick(random, pool))
      break
    }
    case 'partial word': {
      const pool = ranked(30, deep ? 300 : 1500, 6)
      for (let i = 0; i < count; i++) {
        const w = pick(random, pool)
        const length = 3 + Math.floor(random() * 2)
        const at = 1 + Math.floor(random() * (w.length - length - 1))
        out.push(w.slice(at, at + length))
      }
      break
    }
    case 'two words': {
      const pool = ranked(0, deep ? 40 : 300, 3)
      while (out.length < count) {
        const a = pick(random, pool)
        const b = pick(random, pool)
        if (a !== b) out.push(`${a} ${b}`)
      }
      break
    }
    case 'no match': {
      // Typos of common words: every trigram but one or two is common.
      const pool = ranked(0, 500, 5)
      const known = [...words, ...p.rareUses.keys()]
      let tries = 0
      while (out.length < count && tries++ < count * 200) {
        const w = pick(random, pool)
        const i = 1 + Math.floor(random() * (w.length - 3))
        if (w[i] === w[i + 1]) continue
        const typo = w.slice(0, i) + w[i + 1]! + w[i]! + w.slice(i + 2)
        if (!known.some((k) => k.includes(typo))) out.push(typo)
      }
      if (out.length < count) throw new Error('could not make enough no-match queries')
      break
    }
  }
  return out
}

interface SearchAnswer {
  results: { conversationId: string }[]
  nextBefore: string | null
}

export interface ClassResult {
  user: Who
  kind: QueryClass
  page: 'first' | 'deep'
  example: string
  /** The measured queries, to time them again against the index alone. */
  queries: string[]
  /** The same queries through SearchIndex.search alone (no HTTP, no message loading), ms. */
  indexLatencies: number[]
  /** Latencies of the measured requests, ms. */
  latencies: number[]
  /** Queries whose page chain ended before the measured page (deep pages only). */
  ended: number
  meanResults: number
  /** Server CPU per measured request (deep pages: per chain of 6 requests), ms. */
  serverCpuMs: number
}

export interface UserScope {
  user: Who
  conversations: number
  messages: number
}

export interface CatchUpResult extends CaughtUp {
  indexBytes: number
  walBytes: number
  closedIndexBytes: number
  healthP99Ms: number
  healthMaxMs: number
  healthSamples: number
  serverRssMiB: number
}

export interface SearchResult {
  config: SearchConfig
  prepareApiSeconds: number
  prepareWriteSeconds: number
  meanTextChars: number
  directs: number
  smallest: number
  largest: number
  dataBytes: number
  rareTokens: number
  rareUsesMean: number
  catchUp: CatchUpResult
  scopes: UserScope[]
  classes: ClassResult[]
  rareChecked: number
  rareMismatches: string[]
  puts: { fresh: PutCost[]; full: PutCost[] }
  totalSeconds: number
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const value = await fn()
  return [value, performance.now() - started]
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}

async function dirSize(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += await fileSize(join(entry.parentPath, entry.name))
  }
  return total
}

const serverScript = join(import.meta.dirname, 'search-server.ts')

async function runQueries(base: string, server: Child, p: Prepared, config: SearchConfig): Promise<ClassResult[]> {
  const random = rng(SEED + 3)
  const results: ClassResult[] = []
  const search = async (token: string, q: string, before?: string): Promise<SearchAnswer> => {
    const params = new URLSearchParams({ q, limit: '50' })
    if (before) params.set('before', before)
    return api<SearchAnswer>(base, 'GET', `/search?${params.toString()}`, undefined, token)
  }
  const cpu = async (): Promise<number> => (await server.call<ServerStats>('stats')).cpuMs
  for (const user of WHO) {
    const token = p.users[userIndex(user, config)]!.accessToken
    for (const kind of CLASSES) {
      const warm = makeQueries(kind, config.warmup, p, random)
      for (const q of warm) await search(token, q)
      const queries = makeQueries(kind, config.queries, p, random)
      let latencies: number[] = []
      let found = 0
      let cpuStart = await cpu()
      for (const q of queries) {
        const [answer, ms] = await timed(() => search(token, q))
        latencies.push(ms)
        found += answer.results.length
      }
      results.push({
        user,
        kind,
        page: 'first',
        example: queries[1]!,
        queries,
        indexLatencies: [],
        latencies,
        ended: 0,
        meanResults: found / queries.length,
        serverCpuMs: ((await cpu()) - cpuStart) / queries.length
      })
      log(`  ${user} ${kind} first page: ${summary(latencies)}, ${(found / queries.length).toFixed(1)} results`)

      // Deep page: page 6, reached by following nextBefore 5 times.
      if (kind === 'rare word' || kind === 'no match') continue
      latencies = []
      found = 0
      const deep = makeQueries(kind, config.deepQueries, p, random, true)
      cpuStart = await cpu()
      for (const q of deep) {
        let answer = await search(token, q)
        for (let page = 2; page <= 5 && answer.nextBefore; page++) answer = await search(token, q, answer.nextBefore)
        const before = answer.nextBefore
        if (!before) continue
        const [sixth, ms] = await timed(() => search(token, q, before))
        latencies.push(ms)
        found += sixth.results.length
      }
      const ended = deep.length - latencies.length
      results.push({
        user,
        kind,
        page: 'deep',
        example: deep[1]!,
        queries: deep,
        indexLatencies: [],
        latencies,
        ended,
        meanResults: latencies.length ? found / latencies.length : 0,
        serverCpuMs: ((await cpu()) - cpuStart) / deep.length
      })
      log(`  ${user} ${kind} page 6: ${summary(latencies)} (${ended} of ${deep.length} had fewer pages)`)
    }
  }
  return results
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b)
  const q = (x: number): string => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))]!.toFixed(1) : 'n/a')
  return `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${sorted.at(-1)?.toFixed(1) ?? 'n/a'} ms`
}

/** Every rare token's hits for a user must equal its occurrences in that user's conversations. */
async function checkRare(base: string, p: Prepared, config: SearchConfig, sample: number): Promise<{ checked: number; mismatches: string[] }> {
  const random = rng(SEED + 4)
  const mismatches: string[] = []
  const tokens = [...p.rareUses.keys()]
  let checked = 0
  for (const who of WHO.map((w) => userIndex(w, config))) {
    const mine = new Set(p.plan.flatMap((c, i) => (c.members.includes(who) ? [i] : [])))
    for (let k = 0; k < sample; k++) {
      const token = pick(random, tokens)
      const expected = p.rareUses.get(token)!.filter((i) => mine.has(i)).length
      const answer = await api<SearchAnswer>(base, 'GET', `/search?q=${token}&limit=50`, undefined, p.users[who]!.accessToken)
      checked++
      if (answer.results.length !== expected) mismatches.push(`${token}: ${answer.results.length} results, expected ${expected}`)
    }
  }
  return { checked, mismatches }
}

/**
 * Runs each class's queries again straight through SearchIndex.search (the
 * SQL the service runs), in this process with the server stopped: what the
 * index costs, apart from HTTP and loading the hits' messages.
 */
function timeIndexAlone(indexPath: string, p: Prepared, config: SearchConfig, classes: ClassResult[]): void {
  const index = SearchIndex.open(indexPath, silentLogger())
  if (!index) throw new Error('node:sqlite is not available')
  try {
    for (const c of classes) {
      const who = userIndex(c.user, config)
      const scope = Object.fromEntries(p.plan.flatMap((conv, i) => (conv.members.includes(who) ? [[p.conversationIds[i]!, 0]] : [])))
      for (const q of c.queries.slice(0, config.warmup)) index.searchNow(scope, toMatchQuery(searchTerms(q)!), Number.MAX_SAFE_INTEGER, 51)
      for (const q of c.queries) {
        const match = toMatchQuery(searchTerms(q)!)
        let before = Number.MAX_SAFE_INTEGER
        let pages = c.page === 'first' ? 1 : 6
        for (;;) {
          const started = performance.now()
          const hits = index.searchNow(scope, match, before, 51)
          const ms = performance.now() - started
          if (--pages === 0) {
            c.indexLatencies.push(ms)
            break
          }
          if (hits.length <= 50) break
          before = hits[49]!.cursor
        }
      }
    }
  } finally {
    index.close()
  }
}

async function main(): Promise<void> {
  const config = searchConfig()
  const begun = performance.now()
  log(`search benchmark: ${describeMachine(machine())}`)
  const root = await mkdtemp(join(tmpdir(), 'search-bench-'))
  const dataDir = join(root, 'server')
  let server: Child | null = null
  try {
    log(`preparing ${config.messages} messages in ${config.conversations} conversations among ${config.users} users in ${root}`)
    const p = await prepare(dataDir, config)
    const dataBytes = await dirSize(join(dataDir, 'messages'))
    log(`  users and conversations over REST in ${p.apiSeconds.toFixed(1)} s, history written in ${p.writeSeconds.toFixed(1)} s (${(dataBytes / 2 ** 20).toFixed(0)} MiB)`)
    const scopes: UserScope[] = WHO.map((user) => {
      const who = userIndex(user, config)
      const mine = p.plan.filter((c) => c.members.includes(who))
      return { user, conversations: mine.length, messages: mine.reduce((a, c) => a + c.messages, 0) }
    })
    for (const s of scopes) log(`  user ${s.user}: ${s.conversations} conversations, ${s.messages} messages`)

    log('starting the server; waiting for the search catch-up')
    server = new Child(serverScript, 'search-server')
    const { port } = await server.call<{ port: number }>('start', { dataDir })
    const base = `http://127.0.0.1:${port}`
    // Meanwhile the server must keep answering: sample GET /health.
    const health: number[] = []
    let indexing = true
    const pinging = (async () => {
      while (indexing) {
        const [, ms] = await timed(() => api(base, 'GET', '/health'))
        health.push(ms)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const caught = await server.call<CaughtUp>('caughtUp', { timeoutMs: 20 * 60_000 })
    indexing = false
    await pinging
    const indexPath = join(dataDir, 'search.sqlite')
    const sortedHealth = [...health].sort((a, b) => a - b)
    const catchUp: CatchUpResult = {
      ...caught,
      indexBytes: await fileSize(indexPath),
      walBytes: await fileSize(`${indexPath}-wal`),
      closedIndexBytes: 0,
      healthP99Ms: sortedHealth[Math.floor(0.99 * sortedHealth.length)] ?? NaN,
      healthMaxMs: sortedHealth.at(-1) ?? NaN,
      healthSamples: health.length,
      serverRssMiB: (await server.call<ServerStats>('stats')).rssMiB
    }
    log(`  indexed ${caught.indexed} messages in ${(caught.ms / 1000).toFixed(1)} s (${(caught.cpuMs / 1000).toFixed(1)} s CPU); index ${(catchUp.indexBytes / 2 ** 20).toFixed(0)} MiB + WAL ${(catchUp.walBytes / 2 ** 20).toFixed(0)} MiB`)
    if (caught.indexed !== config.messages) throw new Error(`catch-up indexed ${caught.indexed} messages, expected ${config.messages}`)

    const rare = await checkRare(base, p, config, 20)
    log(`  rare-token check: ${rare.checked - rare.mismatches.length}/${rare.checked} exact`)
    log('queries')
    const classes = await runQueries(base, server, p, config)
    await server.stop()
    server = null
    catchUp.closedIndexBytes = await fileSize(indexPath)
    log('the same queries against the index alone')
    timeIndexAlone(indexPath, p, config, classes)

    log('index update cost')
    const texts = new TextMaker(p.corpus, SEED + 5)
    const fresh = join(root, 'fresh.sqlite')
    const full = join(root, 'full.sqlite')
    await copyFile(indexPath, full)
    const last = p.plan.length - 1
    const series = async (path: string, conversationId: string, afterSeq: number): Promise<PutCost[]> => {
      const single = await measurePuts(path, conversationId, afterSeq, config.puts, 1, texts)
      return [single, await measurePuts(path, conversationId, single.lastSeq, config.puts * 5, 200, texts)]
    }
    const puts = { fresh: await series(fresh, 'fresh-conversation', 0), full: await series(full, p.conversationIds[last]!, p.plan[last]!.messages) }
    for (const [label, costs] of Object.entries(puts)) {
      for (const c of costs) log(`  ${label} index, ${c.batch} per flush: ${c.cpuPerMessageUs.toFixed(0)} µs CPU, ${c.wallPerMessageUs.toFixed(0)} µs wall per message`)
    }

    const result: SearchResult = {
      config,
      prepareApiSeconds: p.apiSeconds,
      prepareWriteSeconds: p.writeSeconds,
      meanTextChars: p.meanTextChars,
      directs: p.plan.filter((c) => c.kind === 'direct').length,
      smallest: Math.min(...p.plan.map((c) => c.messages)),
      largest: Math.max(...p.plan.map((c) => c.messages)),
      dataBytes,
      rareTokens: p.rareUses.size,
      rareUsesMean: [...p.rareUses.values()].reduce((a, u) => a + u.length, 0) / p.rareUses.size,
      catchUp,
      scopes,
      classes,
      rareChecked: rare.checked,
      rareMismatches: rare.mismatches,
      puts,
      totalSeconds: (performance.now() - begun) / 1000
    }
    const body = renderSearch(result, machine())
    if (process.env['BENCH_SEARCH_NO_DOC'] !== '1') {
      updateSearchDoc(body)
      log(`\n${body}\nupdated ${relative(process.cwd(), DOC_PATH)} in ${result.totalSeconds.toFixed(0)} s`)
    } else log(`\n${body}`)
  } finally {
    await server?.stop()
    if (process.env['BENCH_KEEP_DATA'] === '1') log(`kept ${root}`)
    else await rm(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
