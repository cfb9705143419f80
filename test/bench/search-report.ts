// Renders the search benchmark as Markdown and replaces (or appends) its own
// section of docs/benchmarks.md, leaving the other sections alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { DOC_PATH } from './report'
import type { ClassResult, SearchResult, UserScope, Who } from './search-bench'
import type { PutCost } from './search-put'
import { describeMachine, fmt, type Machine, quantile } from './util'

export const SEARCH_HEADING = '## Search (npm run bench:search)'

const TARGET_MS = 200
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? `${fmt(v, digits)} ms` : 'n/a')
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB`
const count = (n: number): string => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : fmt(n))

function classRow(r: ClassResult, scope: string): string {
  const l = r.latencies
  const p99 = quantile(l, 0.99)
  return row([
    scope,
    r.kind,
    `\`${r.example}\``,
    r.page === 'first' ? '1' : '6',
    r.page === 'deep' && r.ended > 0 ? `${l.length} (${r.ended} had < 6 pages)` : String(l.length),
    fmt(r.meanResults, 1),
    ms(quantile(l, 0.5)),
    ms(quantile(l, 0.95)),
    ms(p99),
    ms(Math.max(...l)),
    r.indexLatencies.length === 0 ? 'n/a' : `${ms(quantile(r.indexLatencies, 0.5))} / ${ms(quantile(r.indexLatencies, 0.99))}`,
    ms(r.serverCpuMs),
    l.length === 0 ? 'n/a' : p99 < TARGET_MS ? 'met' : '**missed**'
  ])
}

function putRow(label: string, c: PutCost): string {
  return row([label, c.batch === 1 ? '1 (own transaction)' : String(c.batch), fmt(c.messages), `${fmt(c.cpuPerMessageUs)} µs`, `${fmt(c.wallPerMessageUs)} µs`])
}

export function renderSearch(r: SearchResult, m: Machine): string {
  const c = r.config
  const u = r.catchUp
  const scopeLabel = (user: Who): string => {
    const s = r.scopes.find((x) => x.user === user)!
    return `${user}: ${s.conversations} conversation${s.conversations === 1 ? '' : 's'}, ${fmt(s.messages)} messages`
  }
  const scope = (user: Who): UserScope => r.scopes.find((x) => x.user === user)!
  const measured = r.classes.filter((x) => x.latencies.length > 0)
  const missed = measured.filter((x) => quantile(x.latencies, 0.99) >= TARGET_MS)
  const worst = measured.reduce((a, b) => (quantile(b.latencies, 0.99) > quantile(a.latencies, 0.99) ? b : a))
  const all = measured.flatMap((x) => x.latencies)
  const lines = [
    SEARCH_HEADING,
    '',
    `\`npm run bench:search\` (about ${fmt(r.totalSeconds / 60, 0)} minutes here). Sizes and query counts are environment ` +
      `variables (see the top of test/bench/search-bench.ts); \`BENCH_KEEP_DATA=1\` keeps the data directory.`,
    '',
    `Measured ${describeMachine(m)}.`,
    '',
    `**Data.** ${count(c.messages)} text messages in ${c.conversations} conversations (${r.directs} direct chats, ` +
      `${c.conversations - r.directs} groups of 3–32) among ${c.users} users, conversation sizes on a Zipf-like curve ` +
      `(${fmt(r.smallest)} to ${fmt(r.largest)} messages), times spread over the past year. Text: ${fmt(r.meanTextChars)} characters on average, words drawn ` +
      `from a ${fmt(c.vocabulary)}-word vocabulary with a Zipf distribution (s = 1.05; common English chat words first, ` +
      `then made-up English-shaped words); 2% of messages carry one of ${fmt(r.rareTokens)} rare tokens (\`ticket…\`, \`host…\`; ` +
      `${fmt(r.rareUsesMean, 1)} uses each on average). ` +
      `Users and conversations were made through the REST API (${fmt(r.prepareApiSeconds, 1)} s), then the history was ` +
      `written straight into the store's segment files with the server's encoder (${fmt(r.prepareWriteSeconds, 1)} s, ` +
      `${mib(r.dataBytes)}), with no search index. Searches are made as user A (in ${scope('A').conversations} conversations, ` +
      `${fmt((scope('A').messages / c.messages) * 100)}% of all messages), user B (${scope('B').conversations} conversations, ` +
      `${fmt((scope('B').messages / c.messages) * 100, 1)}%) and user C (only the smallest direct chat, ` +
      `${fmt((scope('C').messages / c.messages) * 100, 2)}%): the index is scanned newest first over all ` +
      `conversations and rows outside the caller's are skipped, so the smaller the caller's share, the more rows a ` +
      `page costs.`,
    '',
    `**Catch-up.** The server is then started (in a child process) and its background catch-up indexes the whole log; ` +
      `done when it logs "search index caught up".`,
    '',
    row(['Messages indexed', 'Catch-up', 'From listen()', 'Rate', 'Server CPU', 'Index + WAL after catch-up', 'Index after close', 'Server RSS', `GET /health meanwhile (${u.healthSamples} samples) p99 / max`]),
    row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    row([
      count(u.indexed),
      `${fmt(u.ms / 1000, 1)} s`,
      `${fmt(u.sinceListenMs / 1000, 1)} s`,
      `${fmt(u.indexed / (u.ms / 1000))} msg/s`,
      `${fmt(u.cpuMs / 1000, 1)} s (${fmt(u.cpuMs / u.sinceListenMs, 2)} cores)`,
      `${mib(u.indexBytes)} + ${mib(u.walBytes)}`,
      `${mib(u.closedIndexBytes)} (${fmt(u.closedIndexBytes / u.indexed)} B/message)`,
      mib(u.serverRssMiB * 2 ** 20),
      `${ms(u.healthP99Ms)} / ${ms(u.healthMaxMs)}`
    ]),
    '',
    `**Queries.** \`GET /api/v1/search?q=&limit=50\` over HTTP from the benchmark process (fetch, keep-alive), one at ` +
      `a time, after ${c.warmup} warm-up queries of the same class; latency is request to parsed JSON. *Page 6* follows ` +
      `\`nextBefore\` five times and times only the sixth request (${c.deepQueries} chains per class; rare words and no-match ` +
      `queries have no second page). Classes: *common word*: one of the 60 most frequent words (those of 3+ letters); *rare word*: ` +
      `a rare token; *partial word*: 3–4 letters from inside a word ranked 30–1500 (for page 6: 30–300); *two words*: two of ` +
      `the 300 most frequent words (both required, any order; for page 6: of the 40 most frequent); *no match*: a typo of a common word (two letters swapped) that occurs nowhere. ` +
      `Server CPU is the server process's CPU per measured request (for page 6: per chain of six). *Index alone*: ` +
      `the same queries run again afterwards straight through \`SearchIndex.search\` (the SQL the service runs, same ` +
      `scope, same page) with the server stopped; the rest of the HTTP latency is the service's other work, chiefly ` +
      `reading each hit's message from the store (a segment of 512 messages is read and parsed per hit unless cached), ` +
      `plus HTTP and JSON.`,
    '',
    row(['User', 'Query', 'e.g.', 'Page', 'Queries', 'Results (mean)', 'p50', 'p95', 'p99', 'Max', 'Index alone p50 / p99', 'Server CPU / query', `p99 < ${TARGET_MS} ms`]),
    row(['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
    ...r.classes.map((x) => classRow(x, scopeLabel(x.user))),
    '',
    `- Target p99 < ${TARGET_MS} ms in every class: ${missed.length === 0 ? 'met' : `**missed** in ${missed.length} of ${measured.length}`}; ` +
      `slowest class ${worst.user} / ${worst.kind} / page ${worst.page === 'first' ? 1 : 6} ` +
      `(p99 ${ms(quantile(worst.latencies, 0.99))}); over all ${fmt(all.length)} measured queries p50 ${ms(quantile(all, 0.5))}, ` +
      `p99 ${ms(quantile(all, 0.99))}.`,
    `- Correctness spot check: ${r.rareChecked - r.rareMismatches.length} of ${r.rareChecked} rare-token queries returned ` +
      `exactly the occurrences in that user's conversations${r.rareMismatches.length ? ` (mismatches: ${r.rareMismatches.slice(0, 5).join('; ')})` : ''}.`,
    '',
    `**Index update cost.** \`SearchIndex.put\` plus the flush that writes it, driven directly (no HTTP, no message ` +
      `store) in one process: messages appended to one conversation of a fresh, empty index and of a copy of the ` +
      `${count(u.indexed)}-message index above. CPU is \`process.cpuUsage()\` (SQLite runs on the calling thread), minus ` +
      `the cost of the same loop without puts.`,
    '',
    row(['Index', 'Messages per flush', 'Messages', 'CPU per message', 'Wall per message']),
    row(['---', '---:', '---:', '---:', '---:']),
    ...r.puts.fresh.map((x) => putRow('empty', x)),
    ...r.puts.full.map((x) => putRow(count(u.indexed), x)),
    '',
    `- At a low message rate every durable append is flushed to the index in its own transaction (first row of each ` +
      `pair); under load appends that complete in the same turn share one flush. Compare with *CPU per append* in the ` +
      `store table above (the durable append itself).`
  ]
  return lines.join('\n') + '\n'
}

/** Replaces the search section of the doc (up to the next "## " heading), or appends it. */
export function updateSearchDoc(body: string, path = DOC_PATH): void {
  updateSection(SEARCH_HEADING, body, path)
}

/** Replaces the section under `heading` (up to the next "## " heading), or appends it. */
export function updateSection(heading: string, body: string, path = DOC_PATH): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = doc.indexOf(heading)
  if (start === -1) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${body}`)
    return
  }
  const next = doc.indexOf('\n## ', start + heading.length)
  const rest = next === -1 ? '' : doc.slice(next + 1)
  writeFileSync(path, `${doc.slice(0, start)}${body}${rest ? `\n${rest}` : ''}`)
}
