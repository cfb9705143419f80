// PostgreSQL message history and search (server/store/postgres/messages.ts,
// search.ts): the behaviours of conversation-log.test.ts and retention.test.ts
// on PostgreSQL, plus what only a shared database has (many connections
// racing on one conversation's counter). Runs when MESSENGER_TEST_DATABASE_URL
// names a PostgreSQL server and a role with CREATEDB: this file creates a
// database of its own there and drops it at the end.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../src/shared/schemas/messages'
import { AppError } from '../../../server/errors'
import { PgMessageRepo } from '../../../server/store/postgres/messages'
import { containsPattern, foldForSearch, PgSearch } from '../../../server/store/postgres/search'
import { createPool, type Pool } from '../../../server/store/postgres/pool'
import { migrate } from '../../../server/store/postgres/migrate'
import { createScratchDatabase, type ScratchDatabase } from './postgres-scratch'

const BASE_URL = process.env['MESSENGER_TEST_DATABASE_URL']
const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number): string => new Date(ms).toISOString()

let db: ScratchDatabase | null = null
let dbUrl = ''
let now = T0
const pools: Pool[] = []


/** Pools end after each test (the server allows a hundred connections or so, shared with other test files). */
function newPool(max = 10): Pool {
  const pool = createPool(dbUrl, { max })
  pools.push(pool)
  return pool
}

/** A repo on its own pool: a second server process on the same database, or the same one after a restart. */
function openRepo(max?: number): PgMessageRepo {
  return new PgMessageRepo(newPool(max), () => now)
}

const seqs = (messages: Message[]): number[] => messages.map((m) => m.seq)
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function readAll(repo: PgMessageRepo, conversationId: string): Promise<Message[]> {
  const out: Message[] = []
  let after = 0
  for (;;) {
    const page = await repo.page(conversationId, { after, limit: 200 })
    out.push(...page.messages)
    if (!page.hasMore) return out
    after = page.messages.at(-1)!.seq
  }
}

function appendMany(repo: PgMessageRepo, conversationId: string, senderId: string, n: number, prefix = 'c') {
  return Promise.all(range(1, n).map((i) => repo.append(conversationId, { senderId, clientId: `${prefix}${i}`, text: `${prefix} m${i}` })))
}

describe.skipIf(!BASE_URL)('PgMessageRepo and PgSearch (they run with MESSENGER_TEST_DATABASE_URL=postgres://user:pass@host:5432/db, a role with CREATEDB)', () => {
  beforeAll(async () => {
    db = await createScratchDatabase('messages')
    dbUrl = db.url
    const pool = createPool(dbUrl, { max: 1 })
    try {
      await migrate(pool)
    } finally {
      await pool.end()
    }
  }, 60_000)

  afterEach(async () => {
    cachedRepos.clear()
    await Promise.all(pools.splice(0).map((p) => p.end()))
  })

  afterAll(async () => {
    await db?.drop()
  }, 60_000)

  let repo: PgMessageRepo
  let conv: string
  const alice = randomUUID()
  const bob = randomUUID()

  beforeEach(() => {
    now = T0
    repo = openRepo()
    conv = randomUUID()
  })

  describe('append and page', () => {
    it('gives sequential appends seq 1..n in order, with the fields of the draft', async () => {
      for (let i = 1; i <= 5; i++) {
        now = T0 + i
        const { message, created } = await repo.append(conv, { senderId: alice, clientId: `c${i}`, text: `hello ${i}` })
        expect(created).toBe(true)
        expect(message).toEqual({
          id: message.id,
          clientId: `c${i}`,
          conversationId: conv,
          seq: i,
          kind: 'text',
          senderId: alice,
          text: `hello ${i}`,
          createdAt: iso(T0 + i)
        })
      }
      const page = await repo.page(conv, {})
      expect(seqs(page.messages)).toEqual([1, 2, 3, 4, 5])
      expect(page.messages.map((m) => m.text)).toEqual(range(1, 5).map((i) => `hello ${i}`))
      expect(page.hasMore).toBe(false)
      expect((await repo.last(conv))?.seq).toBe(5)
    })

    it('returns exactly the message it stored, every optional field and odd text included', async () => {
      const attachment = { id: randomUUID(), name: 'a.txt', size: 1, type: 'text/plain', sha256: 'x' }
      const texts = ['nul \u0000 inside', 'lone \ud800 surrogate', 'emoji 👍🏽 and "quotes" \\ backslash', '']
      const sent: Message[] = []
      for (const [i, text] of texts.entries()) {
        const { message } = await repo.append(conv, {
          senderId: alice,
          clientId: `odd${i}`,
          text,
          replyTo: { seq: 1, senderId: alice, preview: 'p' },
          mentions: [bob],
          attachments: [attachment]
        })
        sent.push(message)
      }
      const system = await repo.append(conv, {
        senderId: bob,
        clientId: 'sys',
        text: '',
        kind: 'system',
        system: { type: 'group_renamed', title: 'New' }
      })
      sent.push(system.message)
      expect((await repo.page(conv, {})).messages).toEqual(sent)
      expect((await openRepo().page(conv, {})).messages).toEqual(sent)
      expect(await repo.last(conv)).toEqual(system.message)
      expect((await repo.append(conv, { senderId: alice, clientId: 'odd0', text: 'again' })).message).toEqual(sent[0])
    })

    it('gives 200 concurrent appends to one conversation seqs 1..200 with no gap, in commit order', async () => {
      const results = await appendMany(repo, conv, alice, 200)
      expect(results.every((r) => r.created)).toBe(true)
      expect(seqs(results.map((r) => r.message)).sort((a, b) => a - b)).toEqual(range(1, 200))
      const all = await readAll(openRepo(), conv)
      expect(seqs(all)).toEqual(range(1, 200))
      const byClient = new Map(results.map((r) => [r.message.clientId, r.message]))
      for (const m of all) expect(m).toEqual(byClient.get(m.clientId))
      expect((await repo.append(conv, { senderId: alice, clientId: 'next', text: 'x' })).message.seq).toBe(201)
    })

    it('numbers the appends of several processes (pools) to one conversation without gaps', async () => {
      const repos = [openRepo(8), openRepo(8), openRepo(8)]
      const results = await Promise.all(
        range(1, 300).map((i) => repos[i % 3]!.append(conv, { senderId: alice, clientId: `p${i}`, text: `m${i}` }))
      )
      expect(seqs(results.map((r) => r.message)).sort((a, b) => a - b)).toEqual(range(1, 300))
      expect(seqs(await readAll(repo, conv))).toEqual(range(1, 300))
    })

    it('lets readers see only acknowledged messages, never a hole, while appends run', async () => {
      const n = 400
      const acked = new Map<number, Message>()
      let done = false
      const appends = (async () => {
        for (let i = 1; i <= n; i += 8) {
          await Promise.all(
            range(i, Math.min(n, i + 7)).map((k) =>
              repo.append(conv, { senderId: alice, clientId: `c${k}`, text: `m${k}` }).then((r) => acked.set(r.message.seq, r.message))
            )
          )
        }
      })().finally(() => (done = true))
      const reader = openRepo(4)
      let lastSeen = 0
      let unchecked: Message[] = []
      let reads = 0
      while (!done || reads < 3) {
        reads++
        await new Promise((resolve) => setImmediate(resolve))
        for (const m of unchecked) {
          // A commit is visible a moment before its ack's callback has run: wait for the ack.
          if (!acked.has(m.seq)) await new Promise((resolve) => setTimeout(resolve, 20))
          expect(m, `seq ${m.seq} was visible but not acknowledged`).toEqual(acked.get(m.seq))
        }
        unchecked = []
        const [old, latest, head, last] = await Promise.all([
          reader.page(conv, { after: 0, limit: 5 }),
          reader.page(conv, { limit: 30 }),
          reader.page(conv, { after: Math.max(0, lastSeen - 5), limit: 30 }),
          reader.last(conv)
        ])
        for (const page of [old, latest, head]) {
          const got = seqs(page.messages)
          if (got.length > 0) expect(got).toEqual(range(got[0]!, got.at(-1)!))
          unchecked.push(...page.messages)
        }
        const newest = last?.seq ?? 0
        expect(newest).toBeGreaterThanOrEqual(lastSeen)
        lastSeen = newest
        if (last) unchecked.push(last)
      }
      await appends
      for (const m of unchecked) expect(m).toEqual(acked.get(m.seq))
      expect(seqs(await readAll(repo, conv))).toEqual(range(1, n))
    })

    it('returns null from last() and empty pages for a conversation with no messages', async () => {
      expect(await repo.last(conv)).toBeNull()
      expect(await repo.page(conv, { limit: 5 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      expect(await repo.page(conv, { after: 0 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      expect(await repo.version(conv)).toBe(0)
      expect(await repo.expiredSeq(conv)).toBe(0)
      expect(await repo.changes(conv, 0, 10)).toEqual({ messages: [], version: 0, hasMore: false })
      expect(await repo.mutate(conv, 1, (m) => m)).toBeNull()
    })

    it('rejects a conversation id that is not a uuid, as the data-dir engine does', async () => {
      await expect(repo.append('../escape', { senderId: alice, clientId: 'c', text: 't' })).rejects.toThrow(/bad conversation id/)
      await expect(repo.page('..', {})).rejects.toThrow(/bad conversation id/)
    })
  })

  describe('dedupe by (senderId, clientId)', () => {
    it('returns the original message with created=false for a repeated clientId', async () => {
      const first = await repo.append(conv, { senderId: alice, clientId: 'dup', text: 'original' })
      await repo.append(conv, { senderId: alice, clientId: 'other', text: 'other' })
      now = T0 + 5000
      const again = await repo.append(conv, { senderId: alice, clientId: 'dup', text: 'retry with other text' })
      expect(first.created).toBe(true)
      expect(again.created).toBe(false)
      expect(again.message).toEqual(first.message)
      expect(seqs((await repo.page(conv, {})).messages)).toEqual([1, 2])
    })

    it('stores a message once when the same clientId is sent twice concurrently, through two pools', async () => {
      const other = openRepo(2)
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([
          repo.append(conv, { senderId: alice, clientId: `dup${round}`, text: 'one' }),
          other.append(conv, { senderId: alice, clientId: `dup${round}`, text: 'two' })
        ])
        expect([a.created, b.created].sort()).toEqual([false, true])
        expect(a.message).toEqual(b.message)
        expect(a.message.seq).toBe(round + 1)
      }
      expect(seqs(await readAll(repo, conv))).toEqual(range(1, 20))
      expect((await repo.append(conv, { senderId: alice, clientId: 'fresh', text: 'x' })).message.seq).toBe(21)
    })

    it('stores each of many concurrent duplicates once, also while other appends run', async () => {
      const other = openRepo()
      const calls = []
      for (let i = 0; i < 50; i++) {
        calls.push((i % 2 ? repo : other).append(conv, { senderId: alice, clientId: `k${i % 10}`, text: `t${i}` }))
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

    it('treats the same clientId from another sender, or in another conversation, as a new message', async () => {
      const a = await repo.append(conv, { senderId: alice, clientId: 'same', text: 'a' })
      const b = await repo.append(conv, { senderId: bob, clientId: 'same', text: 'b' })
      expect(b).toMatchObject({ created: true, message: { seq: 2, senderId: bob } })
      const otherConv = randomUUID()
      const c = await repo.append(otherConv, { senderId: alice, clientId: 'same', text: 'c' })
      expect(c).toMatchObject({ created: true, message: { seq: 1, conversationId: otherConv } })
      expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(3)
    })

    it('still dedupes through another pool (a restarted server)', async () => {
      const sent = (await appendMany(repo, conv, alice, 3, 'client-')).map((r) => r.message)
      const again = openRepo()
      for (const original of sent) {
        expect(await again.append(conv, { senderId: alice, clientId: original.clientId, text: 'retry' })).toEqual({ message: original, created: false })
      }
      expect((await again.append(conv, { senderId: alice, clientId: 'client-new', text: 'new' })).message.seq).toBe(4)
    })
  })

  describe('paging', () => {
    it('returns the latest page, then older pages with before, and flags hasMore at the edges', async () => {
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
      expect(await repo.page(conv, { before: 0, limit: 10 })).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
      const beyond = await repo.page(conv, { before: 1000, limit: 3 })
      expect(seqs(beyond.messages)).toEqual([23, 24, 25])
      expect(beyond.hasMore).toBe(true)
    })

    it('pages forward with after and flags hasMore at the edges', async () => {
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
      await appendMany(repo, conv, alice, 60)
      const page = await repo.page(conv, {})
      expect(seqs(page.messages)).toEqual(range(11, 60))
      expect(page.hasMore).toBe(true)
    })

    it("keeps pages above a reader's floor (cleared history)", async () => {
      await appendMany(repo, conv, alice, 20)
      const latest = await repo.page(conv, { limit: 10 }, 15)
      expect(seqs(latest.messages)).toEqual(range(16, 20))
      expect(latest.hasMore).toBe(false)
      const fromBelow = await repo.page(conv, { after: 3, limit: 3 }, 15)
      expect(seqs(fromBelow.messages)).toEqual([16, 17, 18])
      expect(fromBelow.hasMore).toBe(true)
      expect((await repo.page(conv, { before: 16 }, 15)).messages).toEqual([])
      const older = await repo.page(conv, { before: 19, limit: 2 }, 15)
      expect(seqs(older.messages)).toEqual([17, 18])
      expect(older.hasMore).toBe(true)
    })
  })

  describe('changes', () => {
    it('versions edits, deletions and reactions; each message once at its latest state, oldest change first', async () => {
      await appendMany(repo, conv, alice, 5)
      const e1 = await repo.mutate(conv, 2, (m) => ({ ...m, text: 'edited', editedAt: iso(T0 + 1) }))
      expect(e1).toMatchObject({ changed: true, message: { seq: 2, text: 'edited', version: 1, editedAt: iso(T0 + 1) } })
      await repo.mutate(conv, 4, (m) => ({ ...m, reactions: { '👍': [bob] } }))
      const e3 = await repo.mutate(conv, 2, (m) => ({ ...m, text: 'edited twice' }))
      expect(e3?.message.version).toBe(3)
      expect(await repo.version(conv)).toBe(3)

      const all = await repo.changes(conv, 0, 10)
      expect(all).toEqual({ messages: [expect.objectContaining({ seq: 4, version: 2 }), e3!.message], version: 3, hasMore: false })
      expect(await repo.changes(conv, 2, 10)).toEqual({ messages: [e3!.message], version: 3, hasMore: false })
      expect(await repo.changes(conv, 3, 10)).toEqual({ messages: [], version: 3, hasMore: false })
      const paged = await repo.changes(conv, 0, 1)
      expect(paged).toEqual({ messages: [expect.objectContaining({ seq: 4 })], version: 2, hasMore: true })
      expect(await repo.changes(conv, 0, 0)).toEqual({ messages: [], version: 0, hasMore: true })
      expect(await repo.changes(conv, 0, 10, 2)).toEqual({ messages: [expect.objectContaining({ seq: 4 })], version: 3, hasMore: false })
      // Reads answer the latest state.
      expect((await repo.page(conv, {})).messages[1]).toEqual(e3!.message)
      expect(await openRepo().last(conv)).toEqual(await repo.last(conv))
    })

    it('leaves a message as it is when the change answers null, and passes on what the change throws', async () => {
      await appendMany(repo, conv, alice, 2)
      const before = (await repo.page(conv, {})).messages[0]!
      expect(await repo.mutate(conv, 1, () => null)).toEqual({ message: before, changed: false })
      await expect(
        repo.mutate(conv, 1, () => {
          throw new AppError('conflict', 'no')
        })
      ).rejects.toMatchObject({ code: 'conflict' })
      expect(await repo.version(conv)).toBe(0)
      expect(await repo.mutate(conv, 3, (m) => m)).toBeNull()
      expect(await repo.mutate(conv, 0, (m) => m)).toBeNull()
      // The change cannot move a message: seq and id stay.
      const moved = await repo.mutate(conv, 1, (m) => ({ ...m, seq: 99, id: randomUUID(), text: 'x' }))
      expect(moved?.message).toMatchObject({ seq: 1, id: before.id, version: 1 })
    })

    it('runs concurrent changes one at a time, each on the state the previous one left', async () => {
      await appendMany(repo, conv, alice, 3)
      const repos = [repo, openRepo(), openRepo()]
      const users = range(1, 60).map(() => randomUUID())
      const results = await Promise.all(
        users.map((u, i) =>
          repos[i % 3]!.mutate(conv, 2, (m) => ({ ...m, reactions: { '👍': [...(m.reactions?.['👍'] ?? []), u] } }))
        )
      )
      expect(results.map((r) => r!.message.version).sort((a, b) => a! - b!)).toEqual(range(1, 60))
      const final = (await repo.page(conv, {})).messages[1]!
      expect(final.version).toBe(60)
      expect([...final.reactions!['👍']!].sort()).toEqual([...users].sort())
      expect(await repo.changes(conv, 0, 10)).toEqual({ messages: [final], version: 60, hasMore: false })
    })

    it('never lets a reader skip a change: versions commit in order', async () => {
      await appendMany(repo, conv, alice, 10)
      let done = false
      const writers = Promise.all(
        range(1, 100).map((i) => openRepoCached(i % 4).mutate(conv, (i % 10) + 1, (m) => ({ ...m, text: `v${i}` })))
      ).finally(() => (done = true))
      const seen = new Map<number, number>()
      let since = 0
      while (!done) {
        const page = await repo.changes(conv, since, 3)
        for (const m of page.messages) seen.set(m.seq, m.version!)
        since = page.version
      }
      await writers
      for (;;) {
        const page = await repo.changes(conv, since, 3)
        for (const m of page.messages) seen.set(m.seq, m.version!)
        since = page.version
        if (!page.hasMore) break
      }
      expect(since).toBe(100)
      const latest = (await repo.page(conv, {})).messages
      for (const m of latest) expect(seen.get(m.seq)).toBe(m.version)
    })
  })

  describe('expire', () => {
    it('moves the floor over old messages, deletes them, and carries seqs, versions and dedupe on', async () => {
      await appendMany(repo, conv, alice, 30, 'old')
      await repo.mutate(conv, 3, (m) => ({ ...m, text: 'old, edited' }))
      now = T0 + 1000
      const fresh = await appendMany(repo, conv, alice, 5, 'new') // 31..35
      const edited = await repo.mutate(conv, 32, (m) => ({ ...m, text: 'new, edited' }))

      const result = await repo.expire(conv, iso(T0 + 500))
      expect(result).toEqual({ expiredSeq: 30, moved: true, attachments: [], keptFrom: iso(T0 + 1000) })
      const page = await repo.page(conv, { after: 0, limit: 100 })
      expect(seqs(page.messages)).toEqual(range(31, 35))
      expect(page.expiredSeq).toBe(30)
      expect(seqs((await repo.page(conv, { before: 32, limit: 100 })).messages)).toEqual([31])
      expect((await repo.page(conv, { limit: 100 })).hasMore).toBe(false)
      expect(await repo.mutate(conv, 3, (m) => m)).toBeNull()
      expect(await repo.changes(conv, 0, 10)).toEqual({ messages: [edited!.message], version: 2, hasMore: false })
      expect(await repo.version(conv)).toBe(2)
      expect(await repo.expiredSeq(conv)).toBe(30)
      const { rows } = await newPool(1).query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE conversation_id = $1', [conv])
      expect(Number(rows[0]!.n)).toBe(5)

      const kept = fresh[1]!.message
      const again = await openRepo().append(conv, { clientId: kept.clientId, senderId: alice, text: 'retry' })
      expect(again).toEqual({ created: false, message: kept.seq === 32 ? edited!.message : kept })
      // The clientId of an expired message is forgotten with it.
      expect((await repo.append(conv, { clientId: 'old1', senderId: alice, text: 'again' })).message.seq).toBe(36)
      expect((await repo.mutate(conv, 36, (m) => ({ ...m, text: 'later, edited' })))?.message.version).toBe(3)
      expect(await repo.expire(conv, iso(T0 + 500))).toEqual({ expiredSeq: 30, moved: false, attachments: [], keptFrom: iso(T0 + 1000) })
    })

    it('keeps the seq numbering when every message expired', async () => {
      await appendMany(repo, conv, alice, 12)
      now = T0 + 1000
      expect(await repo.expire(conv, iso(now))).toEqual({ expiredSeq: 12, moved: true, attachments: [], keptFrom: null })
      expect(await repo.last(conv)).toBeNull()
      expect(await repo.page(conv, {})).toEqual({ messages: [], hasMore: false, expiredSeq: 12 })
      expect(await repo.expire(conv, iso(now))).toEqual({ expiredSeq: 12, moved: false, attachments: [], keptFrom: null })
      expect((await openRepo().append(conv, { clientId: 'n', senderId: alice, text: 'next' })).message.seq).toBe(13)
    })

    it('stops at the first message kept, even if later ones are older (seq order is time order)', async () => {
      now = T0
      await repo.append(conv, { clientId: 'a', senderId: alice, text: 'a' })
      now = T0 + 2000
      await repo.append(conv, { clientId: 'b', senderId: alice, text: 'b' })
      now = T0
      await repo.append(conv, { clientId: 'c', senderId: alice, text: 'c' })
      expect(await repo.expire(conv, iso(T0 + 1000))).toEqual({ expiredSeq: 1, moved: true, attachments: [], keptFrom: iso(T0 + 2000) })
    })

    it('reports the attachments of the messages it removed, in order', async () => {
      const file = (): { id: string; name: string; size: number; type: string; sha256: string } => ({
        id: randomUUID(),
        name: 'a.txt',
        size: 1,
        type: 'text/plain',
        sha256: 'x'
      })
      const [a, b, c, d] = [file(), file(), file(), file()]
      await repo.append(conv, { clientId: 'f1', senderId: alice, text: '', attachments: [a, b] })
      await repo.append(conv, { clientId: 'f2', senderId: alice, text: 'none' })
      await repo.append(conv, { clientId: 'f3', senderId: alice, text: '', attachments: [c] })
      // A deletion drops the attachments from the message; retention still reports them, as on disk.
      await repo.mutate(conv, 3, (m) => ({ id: m.id, clientId: m.clientId, conversationId: conv, seq: 3, kind: 'text', senderId: alice, text: '', createdAt: m.createdAt, deletedAt: iso(T0) }))
      now = T0 + 1000
      await repo.append(conv, { clientId: 'f4', senderId: alice, text: '', attachments: [d] })
      expect(await repo.expire(conv, iso(T0 + 500))).toEqual({ expiredSeq: 3, moved: true, attachments: [a.id, b.id, c.id], keptFrom: iso(T0 + 1000) })
    })

    it('reads createdAt of messages whose text holds an escaped NUL', async () => {
      await repo.append(conv, { clientId: 'n1', senderId: alice, text: 'old \u0000' })
      now = T0 + 1000
      await repo.append(conv, { clientId: 'n2', senderId: alice, text: 'new \u0000' })
      expect(await repo.expire(conv, iso(T0))).toEqual({ expiredSeq: 0, moved: false, attachments: [], keptFrom: iso(T0) })
      expect(await repo.expire(conv, iso(T0 + 500))).toEqual({ expiredSeq: 1, moved: true, attachments: [], keptFrom: iso(T0 + 1000) })
    })

    it('answers nothing moved for a conversation without messages', async () => {
      expect(await repo.expire(conv, iso(T0))).toEqual({ expiredSeq: 0, moved: false, attachments: [], keptFrom: null })
    })

    it('never expires a message appended while it runs', async () => {
      await appendMany(repo, conv, alice, 50, 'old')
      now = T0 + 1000
      const [result, fresh] = await Promise.all([
        openRepo().expire(conv, iso(T0 + 500)),
        appendMany(repo, conv, alice, 50, 'new')
      ])
      expect(result).toMatchObject({ expiredSeq: 50, moved: true })
      expect(fresh.every((r) => r.message.seq > 50)).toBe(true)
      expect(seqs(await readAll(repo, conv))).toEqual(range(51, 100))
    })
  })

  it('drop() deletes a whole history; the conversation starts over if used again', async () => {
    const other = randomUUID()
    await appendMany(repo, conv, alice, 10)
    await repo.append(other, { senderId: alice, clientId: 'keep', text: 'kept' })
    await repo.mutate(conv, 1, (m) => ({ ...m, text: 'x' }))
    await repo.drop(conv)
    expect(await repo.page(conv, {})).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
    expect(await repo.last(conv)).toBeNull()
    expect(await repo.version(conv)).toBe(0)
    expect((await repo.page(other, {})).messages).toHaveLength(1)
    expect(await repo.drop(randomUUID())).toBeUndefined()
    expect(await repo.close()).toBeUndefined()
  })

  it('rejects with AppError(unavailable) when the database cannot be reached', async () => {
    const nowhere = createPool('postgres://messenger:messenger@127.0.0.1:1/none', { max: 1 })
    pools.push(nowhere)
    const down = new PgMessageRepo(nowhere, () => now)
    await expect(down.append(conv, { senderId: alice, clientId: 'x', text: 'x' })).rejects.toMatchObject({ name: 'AppError', code: 'unavailable' })
    await expect(down.page(conv, {})).rejects.toMatchObject({ code: 'unavailable' })
    await expect(down.mutate(conv, 1, (m) => m)).rejects.toMatchObject({ code: 'unavailable' })
    await expect(new PgSearch(nowhere).search({ [conv]: 0 }, ['abc'], 10, 10)).rejects.toMatchObject({
      code: 'unavailable'
    })
  })

  describe('search', () => {
    let search: PgSearch
    let convB: string
    beforeEach(() => {
      search = new PgSearch(newPool(4))
      convB = randomUUID()
    })
    const found = (hits: { conversationId: string; seq: number }[]): string[] => hits.map((h) => `${h.conversationId === conv ? 'A' : 'B'}${h.seq}`)
    const MAX = Number.MAX_SAFE_INTEGER

    it('finds parts of words, any case, accents or not, all terms required, newest first', async () => {
      const texts = ['The Quarterly REPORT is ready', 'report draft', 'Café au lait', 'naïve CAFE', 'unrelated chatter', 'Straße und Fußball']
      for (const [i, text] of texts.entries()) await repo.append(conv, { senderId: alice, clientId: `s${i}`, text })
      const scope = { [conv]: 0 }
      expect(found(await search.search(scope, ['port'], MAX, 10))).toEqual(['A2', 'A1'])
      expect(found(await search.search(scope, ['REPORT', 'quart'], MAX, 10))).toEqual(['A1'])
      expect(found(await search.search(scope, ['cafe'], MAX, 10))).toEqual(['A4', 'A3'])
      expect(found(await search.search(scope, ['CAFÉ'], MAX, 10))).toEqual(['A4', 'A3'])
      expect(found(await search.search(scope, ['naive'], MAX, 10))).toEqual(['A4'])
      expect(found(await search.search(scope, ['fußball'], MAX, 10))).toEqual(['A6'])
      expect(found(await search.search(scope, ['report', 'nothere'], MAX, 10))).toEqual([])
      // Short terms have no trigram and are left out; none left, nothing found.
      expect(found(await search.search(scope, ['is', 'ready'], MAX, 10))).toEqual(['A1'])
      expect(await search.search(scope, ['is'], MAX, 10)).toEqual([])
      expect(await search.search({}, ['report'], MAX, 10)).toEqual([])
    })

    it('takes %, _ and \\ literally', async () => {
      const texts = ['100% sure', '100 percent', 'snake_case here', 'snakeXcase', 'back\\slash', 'backXslash']
      for (const [i, text] of texts.entries()) await repo.append(conv, { senderId: alice, clientId: `l${i}`, text })
      const scope = { [conv]: 0 }
      expect(found(await search.search(scope, ['00%'], MAX, 10))).toEqual(['A1'])
      expect(found(await search.search(scope, ['e_c'], MAX, 10))).toEqual(['A3'])
      expect(found(await search.search(scope, ['k\\s'], MAX, 10))).toEqual(['A5'])
      expect(containsPattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%')
      expect(foldForSearch('ÅNGSTRÖM Crème\u0000')).toBe('angstrom creme')
    })

    it('finds only live text messages, an edited one by its current text', async () => {
      await repo.append(conv, { senderId: alice, clientId: 'a', text: 'apple pie' }) // 1
      await repo.append(conv, { senderId: alice, clientId: 'b', text: 'apple tart' }) // 2
      await repo.append(conv, { senderId: alice, clientId: 'c', text: 'apple system', kind: 'system', system: { type: 'group_renamed', title: 'apple' } }) // 3
      await repo.append(conv, { senderId: alice, clientId: 'd', text: 'banana' }) // 4
      await repo.mutate(conv, 2, (m) => ({ id: m.id, clientId: m.clientId, conversationId: conv, seq: 2, kind: 'text', senderId: alice, text: '', createdAt: m.createdAt, deletedAt: iso(T0) }))
      await repo.mutate(conv, 1, (m) => ({ ...m, text: 'cherry pie' }))
      await repo.mutate(conv, 4, (m) => ({ ...m, text: 'apple crumble' }))
      const scope = { [conv]: 0 }
      expect(found(await search.search(scope, ['apple'], MAX, 10))).toEqual(['A4'])
      expect(found(await search.search(scope, ['cherry'], MAX, 10))).toEqual(['A1'])
      expect(found(await search.search(scope, ['banana'], MAX, 10))).toEqual([])
      expect(found(await search.search(scope, ['tart'], MAX, 10))).toEqual([])
    })

    it('keeps to the scope and its floors, and forgets expired and dropped history', async () => {
      for (let i = 1; i <= 6; i++) {
        now = T0 + i
        await repo.append(conv, { senderId: alice, clientId: `a${i}`, text: `needle a${i}` })
        await repo.append(convB, { senderId: bob, clientId: `b${i}`, text: `needle b${i}` })
      }
      expect(found(await search.search({ [conv]: 0, [convB]: 0 }, ['needle'], MAX, 20))).toEqual(
        ['B6', 'A6', 'B5', 'A5', 'B4', 'A4', 'B3', 'A3', 'B2', 'A2', 'B1', 'A1']
      )
      expect(found(await search.search({ [conv]: 4, [convB]: 5 }, ['needle'], MAX, 20))).toEqual(['B6', 'A6', 'A5'])
      expect(found(await search.search({ [convB]: 0 }, ['needle'], MAX, 3))).toEqual(['B6', 'B5', 'B4'])
      await repo.expire(conv, iso(T0 + 3))
      expect(found(await search.search({ [conv]: 0 }, ['needle'], MAX, 20))).toEqual(['A6', 'A5', 'A4', 'A3'])
      await repo.drop(convB)
      expect(await search.search({ [convB]: 0 }, ['needle'], MAX, 20)).toEqual([])
    })

    it('pages newest first with the cursor of the previous page', async () => {
      const results = await appendMany(repo, conv, alice, 23, 'word')
      await appendMany(repo, convB, alice, 5, 'word')
      const scope = { [conv]: 0 }
      const all: number[] = []
      let before = MAX
      for (;;) {
        const hits = await search.search(scope, ['word'], before, 5)
        all.push(...hits.map((h) => h.seq))
        if (hits.length < 5) break
        before = hits.at(-1)!.cursor
        expect(hits.map((h) => h.cursor)).toEqual([...hits.map((h) => h.cursor)].sort((a, b) => b - a))
      }
      // Concurrent appends commit in seq order, which is the order search lists them in.
      expect(all).toEqual(range(1, 23).reverse())
      expect(results).toHaveLength(23)
    })
  })
})

const cachedRepos = new Map<number, PgMessageRepo>()
function openRepoCached(i: number): PgMessageRepo {
  let r = cachedRepos.get(i)
  if (!r) {
    r = openRepo(4)
    cachedRepos.set(i, r)
  }
  return r
}
