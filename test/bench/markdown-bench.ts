// npm run bench:markdown — message text drawn 1,000 times
// (React's server renderer, in Node: the cost of the component, not of the
// browser's layout), with the text renderer before Markdown (links only) and
// after: a chat-like mix (most lines plain), all plain, and all formatted.
// Each figure is the median of BENCH_MD_ROUNDS (15) rounds after 3 warm-ups.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'

// The component imports its stylesheet, which Node cannot load: ignored here.
;(createRequire(__filename).extensions as unknown as Record<string, () => void>)['.css'] = () => undefined

const ROUNDS = Number(process.env['BENCH_MD_ROUNDS'] ?? 15)
const N = 1000

// The renderer before Markdown (git show 3de9f26:src/renderer/src/components/Conversation/MessageText.tsx), for the baseline.
const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi
function LinksOnly({ text }: { text: string }): React.JSX.Element {
  const parts: Array<string | React.JSX.Element> = []
  let last = 0
  for (const match of text.matchAll(URL_RE)) {
    if (match.index > last) parts.push(text.slice(last, match.index))
    parts.push(createElement('a', { key: match.index, href: match[0], target: '_blank', rel: 'noreferrer noopener' }, match[0]))
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return createElement('span', { className: 'message-text' }, ...parts)
}

const PLAIN = ['Are we still on for lunch today?', 'Sounds good, see you then', 'I pushed the fix, can you have a look', 'Thanks!', 'The build is green again', 'Who has the keys to room 4']
const FORMATTED = [
  'Please review **before Friday**, the _draft_ is ready',
  'Run `npm test` first',
  'Notes: https://example.org/wiki/Meeting_notes',
  '```ts\nconst answer: number = 42\nconsole.log(answer)\n```',
  '- milk\n- bread\n- ~~eggs~~',
  '> quoted line\n\nand my answer'
]
const pick = (list: string[], i: number): string => list[i % list.length]!
const sets: Record<string, string[]> = {
  'chat mix (4 in 5 plain)': Array.from({ length: N }, (_, i) => (i % 5 === 4 ? pick(FORMATTED, i) : pick(PLAIN, i)) + ` ${i}`),
  'all plain': Array.from({ length: N }, (_, i) => `${pick(PLAIN, i)} ${i}`),
  'all formatted': Array.from({ length: N }, (_, i) => `${pick(FORMATTED, i)} ${i}`)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Median time to draw the set; `fresh` texts each round (a first draw) or the same ones (rows drawn again: the cache of rendered messages holds 500). */
function time(render: (text: string) => React.JSX.Element, texts: string[], fresh: boolean): number {
  const rounds: number[] = []
  for (let r = 0; r < ROUNDS + 3; r++) {
    const round = fresh ? texts.map((text) => `${text}.${r}`) : texts
    const start = performance.now()
    renderToStaticMarkup(createElement('div', null, ...round.map((text, i) => createElement('div', { key: i }, render(text)))))
    if (r >= 3) rounds.push(performance.now() - start)
  }
  return median(rounds)
}

async function main(): Promise<void> {
  await import('../../src/renderer/src/i18n')
  const { MessageText } = await import('../../src/renderer/src/components/Conversation/MessageText')
  const line = (name: string, before: number, after: number, n: number): void => {
    process.stdout.write(`${name.padEnd(34)} before ${before.toFixed(1).padStart(7)} ms   after ${after.toFixed(1).padStart(7)} ms   (${n.toLocaleString('en')} messages)\n`)
  }
  for (const [name, texts] of Object.entries(sets)) {
    line(name, time((text) => createElement(LinksOnly, { text }), texts, true), time((text) => createElement(MessageText, { text }), texts, true), texts.length)
  }
  // Scrolling back over rows drawn a moment ago (fewer than the cache holds).
  const again = sets['chat mix (4 in 5 plain)']!.slice(0, 400)
  line('chat mix, drawn again', time((text) => createElement(LinksOnly, { text }), again, false), time((text) => createElement(MessageText, { text }), again, false), again.length)
}

void main()
