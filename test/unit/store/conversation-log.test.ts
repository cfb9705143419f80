import { randomUUID } from 'node:crypto'
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../src/shared/schemas/messages'
import { FileMessageRepo, type FileMessageRepoOptions } from '../../../server/store/messages/file-message-repo'
import { SEGMENT_SIZE } from '../../../server/store/messages/segments'

let root: string
const open: FileMessageRepo[] = []

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'conv-log-'))
})

afterEach(async () => {
  await Promise.all(open.splice(0).map((repo) => repo.close()))
  await rm(root, { recursive: true, force: true })
})

async function openRepo(options?: FileMessageRepoOptions): Promise<FileMessageRepo> {
  const repo = await FileMessageRepo.open(root, options)
  open.push(repo)
  return repo
}

async function reopen(repo: FileMessageRepo, options?: FileMessageRepoOptions): Promise<FileMessageRepo> {
  await repo.close()
  open.splice(open.indexOf(repo), 1)
  return openRepo(options)
}

function segmentFile(conversationId: string, segment: number): string {
  return join(root, conversationId, `${String(segment).padStart(8, '0')}.jsonl`)
}

/** Every line of every segment file of a conversation, parsed; throws on any unparsable line. */
async function readAllLines(conversationId: string): Promise<Message[]> {
  const names = (await readdir(join(root, conversationId))).filter((n) => n.endsWith('.jsonl')).sort()
  const out: Message[] = []
  for (const name of names) {
    const text = await readFile(join(root, conversationId, name), 'utf8')
    expect(text === '' || text.endsWith('\n')).toBe(true)
    for (const line of text.split('\n')) if (line !== '') out.push(JSON.parse(line) as Message)
  }
  return out
}

/** Reads the whole history through the public paging API, oldest first. */
async function readAll(repo: FileMessageRepo, conversationId: string): Promise<Message[]> {
  const out: Message[] = []
  let after = 0
  for (;;) {
    const page = await repo.page(conversationId, { after, limit: 200 })
    out.push(...page.messages)
    if (!page.hasMore) return out
    after = page.messages[page.messages.length - 1]!.seq
  }
}

const seqs = (messages: Message[]): number[] => messages.map((m) => m.seq)
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function appendMany(repo: FileMessageRepo, conversationId: string, senderId: string, n: number, prefix = 'c') {
  return Promise.all(range(1, n).map((i) => repo.append(conversationId, { senderId, clientId: `${prefix}${i}`, text: `m${i}` })))
}

describe('FileMessageRepo / ConversationLog', () => {
  const conv = randomUUID()
  const alice = randomUUID()
  const bob = randomUUID()

  it('gives sequential appends seq 1..n in order, with the fields of the draft', async () => {
    const repo = await openRepo()
    for (let i = 1; i <= 5; i++) {
      const { message, created } = await repo.append(conv, { senderId: alice, clientId: `c${i}`, text: `hello ${i}` })
      expect(created).toBe(true)
      expect(message).toMatchObject({ seq: i, conversationId: conv, senderId: alice, clientId: `c${i}`, text: `hello ${i}` })
      expect(Number.isNaN(Date.parse(message.createdAt))).toBe(false)
    }
    const page = await repo.page(conv, {})
    expect(seqs(page.messages)).toEqual([1, 2, 3, 4, 5])
    expect(page.messages.map((m) => m.text)).toEqual(range(1, 5).map((i) => `hello ${i}`))
    expect(page.hasMore).toBe(false)
    expect((await repo.last(conv))?.seq).toBe(5)
  })

  it('gives 1,500 concurrent appends distinct consecutive seqs that survive close and reopen', async () => {
    const n = 1500
    let repo = await openRepo()
    const results = await appendMany(repo, conv, alice, n)
    expect(results.every((r) => r.created)).toBe(true)
    expect([...seqs(results.map((r) => r.message))].sort((a, b) => a - b)).toEqual(range(1, n))
    const seqByClient = new Map(results.map((r) => [r.message.clientId, r.message.seq]))
    const idByClient = new Map(results.map((r) => [r.message.clientId, r.message.id]))

    repo = await reopen(repo)
    const all = await readAll(repo, conv)
    expect(seqs(all)).toEqual(range(1, n))
    for (const m of all) {
      expect(m.seq).toBe(seqByClient.get(m.clientId))
      expect(m.id).toBe(idByClient.get(m.clientId))
    }
    expect((await repo.last(conv))?.seq).toBe(n)
    // The raw files hold exactly those lines, split into full segments.
    expect(seqs(await readAllLines(conv))).toEqual(range(1, n))
    const segments = (await readdir(join(root, conv))).filter((f) => f.endsWith('.jsonl'))
    expect(segments).toHaveLength(Math.ceil(n / SEGMENT_SIZE))
    // And the next append continues the sequence.
    const next = await repo.append(conv, { senderId: alice, clientId: 'after-reopen', text: 'x' })
    expect(next.message.seq).toBe(n + 1)
  })

  it('lets readers see only acknowledged, durable messages while appends are running', async () => {
    // One cached segment: reading the old segment evicts the tail, so the tail
    // is also read from disk while lines are being written to it.
    const repo = await openRepo({ cachedSegments: 1 })
    const n = SEGMENT_SIZE + 300
    const acked = new Map<number, Message>()
    let done = false
    // Waves of a few concurrent appends: many separate write + fsync windows.
    const appends = (async () => {
      for (let i = 1; i <= n; i += 4) {
        await Promise.all(
          range(i, Math.min(n, i + 3)).map((k) =>
            repo.append(conv, { senderId: alice, clientId: `c${k}`, text: `m${k}` }).then((r) => acked.set(r.message.seq, r.message))
          )
        )
      }
    })().finally(() => (done = true))
    let lastSeen = 0
    let reads = 0
    let unchecked: Message[] = []
    while (!done || reads < 3) {
      reads++
      // Everything a reader saw must have been acknowledged by the time the
      // acks' promise callbacks have run (i.e. by the next macrotask). This
      // also yields, so the appends' I/O can progress between reads.
      await new Promise((resolve) => setImmediate(resolve))
      for (const m of unchecked) expect(m, `seq ${m.seq} was visible before it was acknowledged`).toEqual(acked.get(m.seq))
      unchecked = []
      const [old, latest, head, last] = await Promise.all([
        repo.page(conv, { after: 0, limit: 5 }),
        repo.page(conv, { limit: 30 }),
        repo.page(conv, { after: Math.max(0, lastSeen - 5), limit: 30 }),
        repo.last(conv)
      ])
      for (const page of [old, latest, head]) {
        const got = seqs(page.messages)
        if (got.length > 0) expect(got).toEqual(range(got[0]!, got[got.length - 1]!)) // no holes
        unchecked.push(...page.messages)
      }
      const newest = last?.seq ?? 0
      expect(newest).toBeGreaterThanOrEqual(lastSeen) // never goes back
      expect(latest.messages[latest.messages.length - 1]?.seq ?? 0).toBeLessThanOrEqual(newest)
      lastSeen = newest
      if (last) unchecked.push(last)
    }
    await appends
    for (const m of unchecked) expect(m).toEqual(acked.get(m.seq))
    expect(seqs(await readAll(repo, conv))).toEqual(range(1, n))
  })

  describe('dedupe by (senderId, clientId)', () => {
    it('returns the original message with created=false for a repeated clientId', async () => {
      const repo = await openRepo()
      const first = await repo.append(conv, { senderId: alice, clientId: 'dup', text: 'original' })
      await repo.append(conv, { senderId: alice, clientId: 'other', text: 'other' })
      const again = await repo.append(conv, { senderId: alice, clientId: 'dup', text: 'retry with other text' })
      expect(first.created).toBe(true)
      expect(again.created).toBe(false)
      expect(again.message).toEqual(first.message)
      expect(seqs((await repo.page(conv, {})).messages)).toEqual([1, 2])
    })

    it('stores a message once when the same clientId is sent twice concurrently', async () => {
      const repo = await openRepo()
      const [a, b] = await Promise.all([
        repo.append(conv, { senderId: alice, clientId: 'dup', text: 'one' }),
        repo.append(conv, { senderId: alice, clientId: 'dup', text: 'two' })
      ])
      expect([a.created, b.created].sort()).toEqual([false, true])
      expect(a.message).toEqual(b.message)
      expect(a.message.seq).toBe(1)
      const page = await repo.page(conv, {})
      expect(page.messages).toHaveLength(1)
    })

    it('stores each of many concurrent duplicates once, also while other appends run', async () => {
      const repo = await openRepo()
      const calls = []
      for (let i = 0; i < 50; i++) {
        calls.push(repo.append(conv, { senderId: alice, clientId: `k${i % 10}`, text: `t${i}` }))
        calls.push(repo.append(conv, { senderId: bob, clientId: `u${i}`, text: `u${i}` }))
      }
      const results = await Promise.all(calls)
      expect(results.filter((r) => r.created)).toHaveLength(60)
      const all = await readAll(repo, conv)
      expect(seqs(all)).toEqual(range(1, 60))
      const byKey = new Map(all.map((m) => [`${m.senderId}/${m.clientId}`, m]))
      expect(byKey.size).toBe(60)
      for (const r of results) expect(r.message).toEqual(byKey.get(`${r.message.senderId}/${r.message.clientId}`))
    })

    it('treats the same clientId from a different sender as a new message', async () => {
      const repo = await openRepo()
      const a = await repo.append(conv, { senderId: alice, clientId: 'same', text: 'a' })
      const b = await repo.append(conv, { senderId: bob, clientId: 'same', text: 'b' })
      expect(b.created).toBe(true)
      expect(b.message.seq).toBe(a.message.seq + 1)
      expect(b.message.senderId).toBe(bob)
      expect(b.message.id).not.toBe(a.message.id)
    })

    it('scopes clientIds to their conversation', async () => {
      const repo = await openRepo()
      const other = randomUUID()
      const a = await repo.append(conv, { senderId: alice, clientId: 'same', text: 'a' })
      const b = await repo.append(other, { senderId: alice, clientId: 'same', text: 'b' })
      expect(b.created).toBe(true)
      expect(b.message.conversationId).toBe(other)
      expect(b.message.seq).toBe(1)
      expect(b.message.id).not.toBe(a.message.id)
    })

    async function sendThreeAndClose(): Promise<Message[]> {
      const repo = await openRepo()
      const sent: Message[] = []
      for (let i = 1; i <= 3; i++) {
        sent.push((await repo.append(conv, { senderId: alice, clientId: `client-${i}`, text: `m${i}` })).message)
      }
      await repo.close()
      open.splice(open.indexOf(repo), 1)
      return sent
    }

    async function expectDedupedAfterReopen(sent: Message[]): Promise<void> {
      const repo = await openRepo()
      for (const original of sent) {
        const again = await repo.append(conv, { senderId: alice, clientId: original.clientId, text: 'retry' })
        expect(again.created).toBe(false)
        expect(again.message).toEqual(original)
      }
      const fresh = await repo.append(conv, { senderId: alice, clientId: 'client-new', text: 'new' })
      expect(fresh.created).toBe(true)
      expect(fresh.message.seq).toBe(sent.length + 1)
      expect(seqs(await readAll(repo, conv))).toEqual(range(1, sent.length + 1))
      // The dedupe still holds after one more reopen (the rebuilt index was kept consistent).
      const again = await reopen(repo)
      const retry = await again.append(conv, { senderId: alice, clientId: 'client-new', text: 'retry' })
      expect(retry.created).toBe(false)
      expect(retry.message).toEqual(fresh.message)
    }

    it('still dedupes after close and reopen', async () => {
      const sent = await sendThreeAndClose()
      await expectDedupedAfterReopen(sent)
    })

    it('rebuilds the index from the segments when clientids.log is deleted', async () => {
      const sent = await sendThreeAndClose()
      await rm(join(root, conv, 'clientids.log'))
      await expectDedupedAfterReopen(sent)
    })

    it('rebuilds the index when clientids.log holds garbage', async () => {
      const sent = await sendThreeAndClose()
      await writeFile(join(root, conv, 'clientids.log'), '\u0000\u0000\u00ffnot an index\n\t\t\n99\tx/y\n')
      await expectDedupedAfterReopen(sent)
    })

    it('rebuilds the part of the index behind garbage appended to clientids.log', async () => {
      const sent = await sendThreeAndClose()
      const path = join(root, conv, 'clientids.log')
      const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')
      expect(lines).toHaveLength(3)
      await writeFile(path, `${lines[0]}\n#garbage\u0000\n${lines[2]}\n`)
      await expectDedupedAfterReopen(sent)
    })

    it('rebuilds the index when clientids.log lags behind the segments', async () => {
      const sent = await sendThreeAndClose()
      const path = join(root, conv, 'clientids.log')
      const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')
      await writeFile(path, `${lines[0]}\n`)
      await expectDedupedAfterReopen(sent)
    })

    it('does not trust a torn (unterminated) last line of clientids.log', async () => {
      // The index is appended without fsync, so a crash can leave its last line cut short.
      const sent = await sendThreeAndClose()
      const path = join(root, conv, 'clientids.log')
      const { size } = await stat(path)
      await truncate(path, size - 3) // drops "\n" and the last two characters of the key
      await expectDedupedAfterReopen(sent)
    })
  })

  describe('paging', () => {
    it('returns the latest page, then older pages with before, and flags hasMore at the edges', async () => {
      const repo = await openRepo()
      await appendMany(repo, conv, alice, 25)
      const latest = await repo.page(conv, { limit: 10 })
      expect(seqs(latest.messages)).toEqual(range(16, 25))
      expect(latest.hasMore).toBe(true)
      const older = await repo.page(conv, { before: 16, limit: 10 })
      expect(seqs(older.messages)).toEqual(range(6, 15))
      expect(older.hasMore).toBe(true)
      const oldest = await repo.page(conv, { before: 6, limit: 10 })
      expect(seqs(oldest.messages)).toEqual(range(1, 5))
      expect(oldest.hasMore).toBe(false)
      const exact = await repo.page(conv, { before: 11, limit: 10 })
      expect(seqs(exact.messages)).toEqual(range(1, 10))
      expect(exact.hasMore).toBe(false)
      expect(await repo.page(conv, { before: 1, limit: 10 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      // before beyond the end is clamped to the newest message
      const beyond = await repo.page(conv, { before: 1000, limit: 3 })
      expect(seqs(beyond.messages)).toEqual([23, 24, 25])
      expect(beyond.hasMore).toBe(true)
    })

    it('pages forward with after and flags hasMore at the edges', async () => {
      const repo = await openRepo()
      await appendMany(repo, conv, alice, 25)
      const first = await repo.page(conv, { after: 0, limit: 10 })
      expect(seqs(first.messages)).toEqual(range(1, 10))
      expect(first.hasMore).toBe(true)
      const toEnd = await repo.page(conv, { after: 15, limit: 10 })
      expect(seqs(toEnd.messages)).toEqual(range(16, 25))
      expect(toEnd.hasMore).toBe(false)
      const partial = await repo.page(conv, { after: 20, limit: 10 })
      expect(seqs(partial.messages)).toEqual(range(21, 25))
      expect(partial.hasMore).toBe(false)
      expect(await repo.page(conv, { after: 25, limit: 10 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      expect(await repo.page(conv, { after: 99, limit: 10 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
    })

    it('uses the default page size of 50 without a limit', async () => {
      const repo = await openRepo()
      await appendMany(repo, conv, alice, 60)
      const page = await repo.page(conv, {})
      expect(seqs(page.messages)).toEqual(range(11, 60))
      expect(page.hasMore).toBe(true)
    })

    it('returns an empty page for an empty conversation', async () => {
      const repo = await openRepo()
      expect(await repo.page(conv, {})).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      expect(await repo.page(conv, { after: 0 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
    })

    it('returns pages that cross segment boundaries, from the cache and from disk', async () => {
      const n = 2 * SEGMENT_SIZE + 20
      let repo = await openRepo()
      await appendMany(repo, conv, alice, n)
      const check = async (r: FileMessageRepo): Promise<void> => {
        const back = await r.page(conv, { before: SEGMENT_SIZE + 6, limit: 10 })
        expect(seqs(back.messages)).toEqual(range(SEGMENT_SIZE - 4, SEGMENT_SIZE + 5))
        expect(back.hasMore).toBe(true)
        const fwd = await r.page(conv, { after: 2 * SEGMENT_SIZE - 3, limit: 7 })
        expect(seqs(fwd.messages)).toEqual(range(2 * SEGMENT_SIZE - 2, 2 * SEGMENT_SIZE + 4))
        expect(fwd.hasMore).toBe(true)
        // A page spanning three segments.
        const wide = await r.page(conv, { after: SEGMENT_SIZE - 1, limit: 200 })
        expect(seqs(wide.messages)).toEqual(range(SEGMENT_SIZE, SEGMENT_SIZE + 199))
        const all = await readAll(r, conv)
        expect(seqs(all)).toEqual(range(1, n))
        expect(all.map((m) => m.text).sort()).toEqual(range(1, n).map((i) => `m${i}`).sort())
      }
      await check(repo)
      repo = await reopen(repo, { cachedSegments: 1 })
      await check(repo)
    })
  })

  describe('torn tail', () => {
    it('trims half a line plus garbage on reopen; the next append continues the sequence', async () => {
      let repo = await openRepo()
      const sent = (await appendMany(repo, conv, alice, 7)).map((r) => r.message)
      await repo.close()
      open.splice(open.indexOf(repo), 1)
      const file = segmentFile(conv, 0)
      const sizeBefore = (await stat(file)).size
      const half = JSON.stringify({ ...sent[0], seq: 8, clientId: 'torn', id: randomUUID() }).slice(0, 40)
      await appendFile(file, Buffer.concat([Buffer.from(half), Buffer.from([0, 0, 0xff, 0xfe, 0x7b])]))

      repo = await openRepo()
      expect((await repo.last(conv))?.seq).toBe(7) // opening the conversation trims its tail
      expect((await stat(file)).size).toBe(sizeBefore)
      const next = await repo.append(conv, { senderId: alice, clientId: 'after-tear', text: 'fresh' })
      expect(next.created).toBe(true)
      expect(next.message.seq).toBe(8)
      const lines = await readAllLines(conv)
      expect(seqs(lines)).toEqual(range(1, 8))
      expect(lines[7]?.clientId).toBe('after-tear')
      // The torn message was never acknowledged: its clientId is new.
      const torn = await repo.append(conv, { senderId: alice, clientId: 'torn', text: 'retry' })
      expect(torn.created).toBe(true)
      expect(torn.message.seq).toBe(9)
      repo = await reopen(repo)
      expect(seqs(await readAll(repo, conv))).toEqual(range(1, 9))
    })

    it('trims a complete but corrupt or out-of-sequence last line', async () => {
      let repo = await openRepo()
      const sent = (await appendMany(repo, conv, alice, 3)).map((r) => r.message)
      await repo.close()
      open.splice(open.indexOf(repo), 1)
      const file = segmentFile(conv, 0)
      const sizeBefore = (await stat(file)).size
      await appendFile(file, JSON.stringify({ ...sent[0], seq: 9, clientId: 'bogus' }) + '\n{not json}\n')

      repo = await openRepo()
      expect((await repo.last(conv))?.seq).toBe(3)
      expect((await stat(file)).size).toBe(sizeBefore)
      const next = await repo.append(conv, { senderId: alice, clientId: 'bogus', text: 'x' })
      expect(next).toMatchObject({ created: true, message: { seq: 4 } })
      expect(seqs(await readAllLines(conv))).toEqual(range(1, 4))
    })

    it('trims a torn tail right after a full segment; the next message starts the next segment', async () => {
      let repo = await openRepo()
      await appendMany(repo, conv, alice, SEGMENT_SIZE)
      await repo.close()
      open.splice(open.indexOf(repo), 1)
      await appendFile(segmentFile(conv, 0), '{"id":"x","seq":')

      repo = await openRepo()
      const next = await repo.append(conv, { senderId: alice, clientId: 'next', text: 'x' })
      expect(next.message.seq).toBe(SEGMENT_SIZE + 1)
      const lines = await readAllLines(conv)
      expect(seqs(lines)).toEqual(range(1, SEGMENT_SIZE + 1))
      expect(await readdir(join(root, conv))).toContain('00000001.jsonl')
    })
  })

  it('returns null from last() for an empty conversation and creates no directory', async () => {
    const repo = await openRepo()
    expect(await repo.last(conv)).toBeNull()
    expect(await repo.page(conv, { limit: 5 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
    expect(await readdir(root)).toEqual([])
    await repo.close()
    open.splice(open.indexOf(repo), 1)
    expect(await readdir(root)).toEqual([])
  })

  it('rejects a conversation id that is not a uuid (no path tricks)', async () => {
    const repo = await openRepo()
    await expect(repo.append('../escape', { senderId: alice, clientId: 'c', text: 't' })).rejects.toThrow(/bad conversation id/)
    await expect(repo.page('..', {})).rejects.toThrow(/bad conversation id/)
    expect(await readdir(root)).toEqual([])
  })

  it('stays consistent when conversations and segments are evicted (2 open, 2 cached segments, 5 conversations)', async () => {
    const options = { openConversations: 2, cachedSegments: 2 }
    let repo = await openRepo(options)
    const convs = range(1, 5).map(() => randomUUID())
    const expected = new Map<string, Message[]>(convs.map((c) => [c, []]))
    const perConv = SEGMENT_SIZE + 40 // every conversation spans two segments

    // Rounds of interleaved appends (some concurrent across conversations) and reads.
    for (let round = 0; round < 6; round++) {
      const batch = Math.ceil(perConv / 6)
      const results = await Promise.all(
        convs.flatMap((c, ci) =>
          range(1, batch).map((i) =>
            repo.append(c, { senderId: ci % 2 ? alice : bob, clientId: `r${round}-${i}`, text: `${c}:${round}:${i}` })
          )
        )
      )
      for (const r of results) expected.get(r.message.conversationId)!.push(r.message)
      for (const [ci, c] of convs.entries()) {
        // Read something old (forces a segment off disk) and the newest page.
        const want = expected.get(c)!.slice().sort((a, b) => a.seq - b.seq)
        const oldPage = await repo.page(c, { after: round * 3, limit: 5 })
        expect(oldPage.messages).toEqual(want.slice(round * 3, round * 3 + 5))
        const latest = await repo.page(c, { limit: 20 })
        expect(latest.messages).toEqual(want.slice(-20))
        expect(await repo.last(c)).toEqual(want[want.length - 1])
        // A retry of an earlier message is still recognised after its log was evicted.
        const retryOf = want[(round * 7 + ci) % want.length]!
        const retry = await repo.append(c, { senderId: retryOf.senderId, clientId: retryOf.clientId, text: 'retry' })
        expect(retry.created).toBe(false)
        expect(retry.message).toEqual(retryOf)
      }
      // Concurrent reads and appends across all conversations at once.
      const mixed = await Promise.all(
        convs.map(async (c) => {
          const [page, appended] = await Promise.all([
            repo.page(c, { before: SEGMENT_SIZE + 2, limit: 4 }),
            repo.append(c, { senderId: alice, clientId: `mixed-${round}`, text: 'mixed' })
          ])
          return { c, page, appended }
        })
      )
      for (const { c, page, appended } of mixed) {
        expect(appended.created).toBe(true)
        const list = expected.get(c)!
        expect(appended.message.seq).toBe(list.length + 1)
        list.push(appended.message)
        for (const m of page.messages) expect(m).toEqual(list[m.seq - 1])
      }
    }

    for (const c of convs) {
      const want = expected.get(c)!
      expect(seqs(want)).toEqual(range(1, want.length))
      expect(await readAll(repo, c)).toEqual(want)
    }
    repo = await reopen(repo, options)
    for (const c of convs) {
      expect(await readAll(repo, c)).toEqual(expected.get(c))
      expect(seqs(await readAllLines(c))).toEqual(range(1, expected.get(c)!.length))
    }
  })
})
