// Synthetic chat text for the search benchmark: a vocabulary of a few thousand
// words drawn with a Zipf-like distribution (common English chat words first,
// then made-up but English-shaped words), a sprinkling of rare tokens (ticket
// numbers, host names, ids), and timestamps spread over a year. Seeded, so a
// run is repeatable. Messages are written straight into the store's segment
// format with the server's own encoder, as store-data.ts does.
import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../src/shared/schemas/messages'
import { clientKey } from '../../server/store/messages/client-index'
import { encodeMessages, parseSegmentName, SEGMENT_SIZE, segmentPath } from '../../server/store/messages/segments'

/** mulberry32: a small, fast, seeded PRNG returning [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Random = () => number

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

/** Samples ranks 0..n-1 with weight 1/(rank+1)^s. */
export class Zipf {
  private readonly cumulative: Float64Array

  constructor(n: number, s: number) {
    this.cumulative = new Float64Array(n)
    let sum = 0
    for (let r = 0; r < n; r++) this.cumulative[r] = sum += 1 / (r + 1) ** s
    for (let r = 0; r < n; r++) this.cumulative[r]! /= sum
  }

  sample(random: Random): number {
    const u = random()
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid]! < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

// The head of the distribution: everyday chat words, roughly by frequency.
const COMMON = `the you and to it that is for on are have this can with was just what not but we so
get do be at if about all will know my your me there think like one out up now they from good
no yes ok okay time how when today going got need want see also would could should then some
here more well really right still back work meeting tomorrow thanks thank please sorry let make
check send sent look looks great sure maybe week later call team project yesterday morning
tonight update issue problem fix fixed release build test tests review before after other
people thing things because again already soon first last next new old long little much many
very too only even lunch coffee office home email message file files link doc docs plan
change changes done start started finish deadline friday monday tuesday wednesday thursday
weekend question answer idea ideas help working server client customer report data design
version deploy branch merge code bug bugs feature support meeting notes agenda slides budget
invoice order price team's happy nice cool awesome exactly probably actually definitely
something anything everything nothing someone everyone anyone already almost enough around
minutes hours days weeks month year early late quick quickly send sending waiting ready
available busy free schedule calendar room building parking train travel trip flight hotel
dinner birthday party holiday vacation weather rain sunny cold hot traffic kids family`
  .split(/\s+/)
  .filter((w) => w !== '')

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'st', 'tr', 'pl', 'gr', 'br', 'ch', 'sh', 'th', 'cl', 'fr', 'sp', 'qu', 'sc']
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai', 'ee', 'oo', 'ie', 'y']
const CODAS = ['', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ck', 'ng', 'rt', 'nt', 'x']
const SUFFIXES = ['', '', '', '', 'ing', 'ed', 'er', 'tion', 'ment', 'ly', 'ness', 'able', 's', 'al', 'ity', 'ous', 'ive']
const RARE_PREFIXES = ['ticket', 'build', 'host', 'order', 'ref', 'case', 'pr', 'node', 'sku', 'room']

export interface Corpus {
  /** Words by rank (0 = most frequent). */
  words: string[]
  zipf: Zipf
  /** Tokens that occur only a handful of times in the whole corpus. */
  rare: string[]
}

export function makeCorpus(vocabulary: number, seed: number): Corpus {
  const random = rng(seed)
  const words = [...new Set(COMMON)]
  const seen = new Set(words)
  while (words.length < vocabulary) {
    let word = ''
    const syllables = 1 + Math.floor(random() * 3)
    for (let i = 0; i < syllables; i++) word += pick(random, ONSETS) + pick(random, VOWELS) + (i === syllables - 1 ? pick(random, CODAS) : '')
    word += pick(random, SUFFIXES)
    if (word.length < 3 || seen.has(word)) continue
    seen.add(word)
    words.push(word)
  }
  const rare = new Set<string>()
  while (rare.size < Math.max(100, vocabulary)) rare.add(pick(random, RARE_PREFIXES) + Math.floor(random() * 36 ** 5).toString(36).padStart(5, '0'))
  return { words, zipf: new Zipf(words.length, 1.05), rare: [...rare] }
}

/** Share of messages that carry one rare token. */
const RARE_SHARE = 0.02

/** Builds message texts. */
export class TextMaker {
  /** The rare token in the last text made, if any. */
  lastRare: string | null = null
  private readonly random: Random

  constructor(
    private readonly corpus: Corpus,
    seed: number
  ) {
    this.random = rng(seed)
  }

  text(): string {
    const r = this.random
    const n = Math.min(40, 2 + Math.floor(-Math.log(1 - r()) * 8))
    const out: string[] = []
    for (let i = 0; i < n; i++) out.push(this.corpus.words[this.corpus.zipf.sample(r)]!)
    this.lastRare = null
    if (r() < RARE_SHARE) {
      const token = pick(r, this.corpus.rare)
      this.lastRare = token
      out.splice(Math.floor(r() * (out.length + 1)), 0, token)
    }
    const first = out[0]!
    out[0] = first[0]!.toUpperCase() + first.slice(1)
    return out.join(' ') + pick(r, ['', '', '.', '.', '?', '!'])
  }
}

/** `count` increasing times (ms) spread at random over [from, to). */
export function spreadTimes(random: Random, count: number, from: number, to: number): Float64Array {
  const times = new Float64Array(count)
  for (let i = 0; i < count; i++) times[i] = Math.floor(from + random() * (to - from))
  times.sort()
  for (let i = 1; i < count; i++) if (times[i]! <= times[i - 1]!) times[i] = times[i - 1]! + 1
  return times
}

/**
 * Writes a conversation's whole history (seq 1..texts.length) into
 * `<root>/<conversationId>/`, replacing whatever segments it had (e.g. the
 * "group created" system message).
 */
export async function writeConversation(
  root: string,
  conversationId: string,
  texts: string[],
  times: Float64Array,
  senderIds: string[],
  random: Random
): Promise<void> {
  const dir = join(root, conversationId)
  await mkdir(dir, { recursive: true })
  for (const name of await readdir(dir)) if (parseSegmentName(name) !== null || name === 'changes.log') await unlink(join(dir, name))
  const index = await open(join(dir, 'clientids.log'), 'w', 0o600)
  try {
    for (let first = 1, segment = 0; first <= texts.length; first += SEGMENT_SIZE, segment++) {
      const messages: Message[] = []
      let indexLines = ''
      for (let seq = first; seq < Math.min(texts.length + 1, first + SEGMENT_SIZE); seq++) {
        const message: Message = {
          id: randomUUID(),
          clientId: randomUUID(),
          conversationId,
          seq,
          kind: 'text',
          senderId: pick(random, senderIds),
          text: texts[seq - 1]!,
          createdAt: new Date(times[seq - 1]!).toISOString()
        }
        messages.push(message)
        indexLines += `${seq}\t${clientKey(message.senderId, message.clientId)}\n`
      }
      await writeFile(segmentPath(dir, segment), encodeMessages(messages), { mode: 0o600 })
      await index.write(indexLines)
    }
  } finally {
    await index.close()
  }
}
