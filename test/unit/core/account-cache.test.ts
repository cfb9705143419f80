import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AccountCache } from '../../../src/main/core/cache/account-cache'
import { MessageChunks } from '../../../src/main/core/cache/chunks'
import type { Conversation } from '../../../src/shared/schemas/conversations'
import type { Message } from '../../../src/shared/schemas/messages'
import { CONV_A as CONV, CONV_B as OTHER, USER, conv, msg as baseMsg, seqs } from '../../helpers/fixtures'

const msg = (seq: number, extra: Partial<Message> = {}): Message => ({ ...baseMsg(seq), ...extra })
import type { Me } from '../../../src/shared/schemas/users'





const me: Me = {
  id: USER,
  username: 'ann',
  displayName: 'Ann',
  statusText: '',
    avatar: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  hideLastSeen: false,
  contactsOnlyDirect: false,
  serverAdmin: false,
  email: null
}

async function metaOnDisk(): Promise<{ cursors: Record<string, unknown>; conversations: Record<string, Conversation>; me: Me | null }> {
  return JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))
}

let dir: string
const open: AccountCache[] = []

async function openCache(): Promise<AccountCache> {
  const cache = await AccountCache.open(dir)
  open.push(cache)
  return cache
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'account-cache-'))
})

afterEach(async () => {
  vi.useRealTimers()
  // Settle pending flush timers so nothing writes into a removed directory.
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)))
  await rm(dir, { recursive: true, force: true })
})

describe('AccountCache cursors', () => {
  it('starts empty: no me, no conversations, cursor 0/0', async () => {
    const cache = await openCache()
    expect(cache.me).toBeNull()
    expect(cache.conversations()).toEqual([])
    expect(cache.cursor(CONV)).toEqual({ low: 0, high: 0, version: 0 })
  })

  it('append starts the range and extends it; prepend moves low down', async () => {
    const cache = await openCache()
    await cache.extend(CONV, [])
    expect(cache.cursor(CONV)).toEqual({ low: 0, high: 0, version: 0 })
    await cache.extend(CONV, seqs(50, 60))
    expect(cache.cursor(CONV)).toEqual({ low: 50, high: 60, version: 0 })
    await cache.extend(CONV, seqs(61, 62))
    await cache.extend(CONV, seqs(40, 49))
    await cache.extend(CONV, [])
    expect(cache.cursor(CONV)).toEqual({ low: 40, high: 62, version: 0 })
    expect((await cache.range(CONV, 1, 100)).map((m) => m.seq)).toEqual(seqs(40, 62).map((m) => m.seq))
  })

  it('prepend into an empty cache sets both ends', async () => {
    const cache = await openCache()
    await cache.extend(CONV, seqs(5, 9))
    expect(cache.cursor(CONV)).toEqual({ low: 5, high: 9, version: 0 })
  })

  it('overlapping appends, prepends and setVersion of one conversation all count', async () => {
    const cache = await openCache()
    await cache.extend(CONV, seqs(501, 510))
    await cache.flush()
    const reopened = await openCache()
    // Chunk 1 must be read from disk first, so these really overlap.
    const writes = Promise.all([reopened.extend(CONV, seqs(511, 520)), reopened.extend(CONV, seqs(521, 530)), reopened.extend(CONV, seqs(1, 500))])
    reopened.setVersion(CONV, 5)
    await writes
    expect(reopened.cursor(CONV)).toEqual({ low: 1, high: 530, version: 5 })
    expect(await reopened.range(CONV, 1, 530)).toHaveLength(530)
  })

  it('setVersion only moves forward and survives later appends', async () => {
    const cache = await openCache()
    cache.setVersion(CONV, 7)
    cache.setVersion(CONV, 3)
    await cache.extend(CONV, seqs(1, 2))
    expect(cache.cursor(CONV)).toEqual({ low: 1, high: 2, version: 7 })
  })

  it('update replaces messages with newer versions inside the cached range only', async () => {
    const cache = await openCache()
    await cache.extend(CONV, [msg(1), msg(2, { version: 5, text: 'v5' }), msg(3)])
    const changed = await cache.update(CONV, [
      msg(1, { version: 2, text: 'edited' }),
      msg(2, { version: 4, text: 'older' }),
      msg(2, { version: 5, text: 'same' }),
      msg(3),
      msg(9, { version: 9, text: 'outside' })
    ])
    expect(changed.map((m) => [m.seq, m.text])).toEqual([[1, 'edited']])
    expect((await cache.range(CONV, 1, 10)).map((m) => m.text)).toEqual(['edited', 'v5', 'm3'])
  })

  it('clear drops history up to clearedSeq, moves low, and hides the last message when it was cleared', async () => {
    const cache = await openCache()
    cache.putConversation(conv(CONV, { lastSeq: 1200, lastMessage: msg(1200), unreadCount: 4 }))
    await cache.extend(CONV, seqs(1, 1200))
    await cache.clear(CONV, 700)
    expect(cache.cursor(CONV)).toEqual({ low: 701, high: 1200, version: 0 })
    expect(cache.conversation(CONV)).toMatchObject({ clearedSeq: 700, unreadCount: 4, lastMessage: { seq: 1200 } })
    expect((await cache.range(CONV, 1, 1200))[0]!.seq).toBe(701)

    cache.setVersion(CONV, 3)
    await cache.clear(CONV, 1500)
    expect(cache.cursor(CONV)).toEqual({ low: 0, high: 0, version: 3 })
    expect(cache.conversation(CONV)).toMatchObject({ clearedSeq: 1500, unreadCount: 0, lastMessage: null })
    expect(await cache.range(CONV, 1, 1200)).toEqual([])
    await cache.flush()
    const reopened = await openCache()
    expect(reopened.cursor(CONV)).toEqual({ low: 0, high: 0, version: 3 })
    expect(await reopened.range(CONV, 1, 1200)).toEqual([])
  })

  it('clear with an older clearedSeq than the conversation already has changes nothing', async () => {
    const cache = await openCache()
    cache.putConversation(conv(CONV, { clearedSeq: 10, lastMessage: msg(20), unreadCount: 2 }))
    await cache.extend(CONV, seqs(11, 20))
    await cache.clear(CONV, 5)
    expect(cache.cursor(CONV)).toEqual({ low: 11, high: 20, version: 0 })
    expect(cache.conversation(CONV)).toMatchObject({ clearedSeq: 10, unreadCount: 2 })
  })
})

describe('AccountCache conversations and profile', () => {
  it('lists conversations by last activity (last message, else creation), most recent first', async () => {
    const cache = await openCache()
    const ids = ['00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000c3']
    cache.putConversation(conv(ids[0]!, { createdAt: '2030-01-03T00:00:00.000Z' }))
    cache.putConversation(conv(ids[1]!, { createdAt: '2030-01-01T00:00:00.000Z', lastMessage: msg(1, { createdAt: '2030-01-05T00:00:00.000Z' }) }))
    cache.putConversation(conv(ids[2]!, { createdAt: '2030-01-02T00:00:00.000Z' }))
    expect(cache.conversations().map((c) => c.id)).toEqual([ids[1], ids[0], ids[2]])
    expect(cache.conversationIds().sort()).toEqual([...ids].sort())
  })

  it('removeConversation forgets the conversation, its cursor and its history files', async () => {
    const cache = await openCache()
    cache.putConversation(conv(CONV))
    cache.putConversation(conv(OTHER))
    await cache.extend(CONV, seqs(1, 3))
    await cache.flush()
    await cache.removeConversation(CONV)
    await cache.flush()
    expect(cache.conversation(CONV)).toBeUndefined()
    expect(cache.cursor(CONV)).toEqual({ low: 0, high: 0, version: 0 })
    await expect(stat(join(dir, 'messages', CONV))).rejects.toMatchObject({ code: 'ENOENT' })
    const reopened = await openCache()
    expect(reopened.conversationIds()).toEqual([OTHER])
  })
})

describe('AccountCache people directory', () => {
  it('keeps people a page named (former members) beside members met, answers only new or changed ones, and keeps them on disk', async () => {
    const cache = await openCache()
    const bob = { id: 'b0000000-0000-4000-8000-000000000002', username: 'bob', displayName: 'Bob', statusText: '', avatar: null, createdAt: me.createdAt }
    expect(cache.putPeople([bob]).map((u) => u.id)).toEqual([bob.id])
    expect(cache.putPeople([bob])).toEqual([])
    expect(cache.putPeople([{ ...bob, displayName: 'Bob B.' }]).map((u) => u.displayName)).toEqual(['Bob B.'])
    await cache.close()
    open.splice(open.indexOf(cache), 1)
    expect((await openCache()).people()).toEqual([{ ...bob, displayName: 'Bob B.' }])
  })
})

describe('AccountCache on disk', () => {
  it('after flush() a fresh open sees the same me, conversations, cursors and messages', async () => {
    const cache = await openCache()
    cache.setMe(me)
    cache.putConversation(conv(CONV, { lastSeq: 1200 }))
    await cache.extend(CONV, seqs(1, 1200))
    cache.setVersion(CONV, 9)
    await cache.extend(OTHER, [msg(1, { conversationId: OTHER })])
    await cache.flush()

    const reopened = await openCache()
    expect(reopened.me).toEqual(me)
    expect(reopened.conversation(CONV)).toEqual(conv(CONV, { lastSeq: 1200 }))
    expect(reopened.cursor(CONV)).toEqual({ low: 1, high: 1200, version: 9 })
    expect(reopened.cursor(OTHER)).toEqual({ low: 1, high: 1, version: 0 })
    const messages = await reopened.range(CONV, 1, 1200)
    expect(messages).toHaveLength(1200)
    expect(messages.map((m) => m.seq)).toEqual(seqs(1, 1200).map((m) => m.seq))
  })

  it('a chunk ahead of its cursor (crash between chunk and meta writes) does not break append', async () => {
    const cache = await openCache()
    await cache.extend(CONV, seqs(1, 10))
    await cache.flush()
    // The crash: messages 11..15 reached their chunk file, meta.json still says high = 10.
    const chunks = new MessageChunks(join(dir, 'messages'))
    await chunks.put(CONV, seqs(11, 15).map((m) => ({ ...m, text: 'from before the crash' })))
    await chunks.flush()

    const reopened = await openCache()
    expect(reopened.cursor(CONV)).toEqual({ low: 1, high: 10, version: 0 })
    await reopened.extend(CONV, seqs(11, 20))
    expect(reopened.cursor(CONV)).toEqual({ low: 1, high: 20, version: 0 })
    const messages = await reopened.range(CONV, 1, 20)
    expect(messages.map((m) => m.seq)).toEqual(seqs(1, 20).map((m) => m.seq))
    expect(messages[10]!.text).toBe('m11')
    await reopened.flush()
    const again = await openCache()
    expect((await again.range(CONV, 1, 100)).map((m) => m.seq)).toEqual(seqs(1, 20).map((m) => m.seq))
  })

  it('writes chunks before meta.json: when the chunks cannot be written the cursor on disk stays behind', async () => {
    const cache = await openCache()
    await cache.extend(CONV, seqs(1, 3))
    await cache.flush()
    await cache.extend(OTHER, [msg(1, { conversationId: OTHER })])
    await cache.extend(CONV, seqs(4, 5))
    // A file where the conversation's chunk directory must be makes the chunk write fail.
    await mkdir(join(dir, 'messages'), { recursive: true })
    await writeFile(join(dir, 'messages', OTHER), 'not a directory')
    await expect(cache.flush()).rejects.toThrow()
    const meta = await metaOnDisk()
    expect(meta.cursors[CONV]).toEqual({ low: 1, high: 3, version: 0 })
    expect(meta.cursors[OTHER]).toBeUndefined()
    // The failure does not jam later flushes.
    await rm(join(dir, 'messages', OTHER))
    await cache.extend(OTHER, [msg(1, { conversationId: OTHER })])
    await cache.flush()
    expect((await metaOnDisk()).cursors[OTHER]).toEqual({ low: 1, high: 1, version: 0 })
    // The retry wrote the chunks the failed flush could not: the cursor claims nothing missing.
    expect((await metaOnDisk()).cursors[CONV]).toEqual({ low: 1, high: 5, version: 0 })
    const reopened = await openCache()
    expect((await reopened.range(CONV, 1, 5)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('messages added while a flush runs are never claimed by the meta.json that flush writes', async () => {
    const cache = await openCache()
    await cache.extend(CONV, seqs(1, 10))
    const flushing = cache.flush()
    await cache.extend(CONV, seqs(11, 600))
    await flushing
    const claimed = (await metaOnDisk()).cursors[CONV] as { low: number; high: number }
    const onDisk = await new MessageChunks(join(dir, 'messages')).range(CONV, claimed.low, claimed.high)
    expect(onDisk).toHaveLength(claimed.high - claimed.low + 1)
    await cache.flush()
    expect((await metaOnDisk()).cursors[CONV]).toEqual({ low: 1, high: 600, version: 0 })
    expect(await new MessageChunks(join(dir, 'messages')).range(CONV, 1, 600)).toHaveLength(600)
  })

  it('flushes on its own shortly after a change, once for many changes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const cache = await openCache()
    const flush = vi.spyOn(cache, 'flush')
    cache.setMe(me)
    cache.putConversation(conv(CONV))
    await cache.extend(CONV, seqs(1, 2))
    expect(flush).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(29)
    expect(flush).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(flush).toHaveBeenCalledTimes(1)
    await flush.mock.results[0]!.value
    const meta = await metaOnDisk()
    expect(meta.me).toEqual(me)
    expect(meta.cursors[CONV]).toEqual({ low: 1, high: 2, version: 0 })
  })

  it('close() writes what is pending and schedules nothing afterwards', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const cache = await openCache()
    await cache.extend(CONV, seqs(1, 2))
    await cache.close()
    expect((await metaOnDisk()).cursors[CONV]).toEqual({ low: 1, high: 2, version: 0 })
    cache.setVersion(CONV, 4)
    expect(vi.getTimerCount()).toBe(0)
  })
})
