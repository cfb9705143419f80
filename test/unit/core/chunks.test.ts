import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHUNK_SIZE, chunkIndex, MessageChunks } from '../../../src/main/core/cache/chunks'
import type { Message } from '../../../src/shared/schemas/messages'
import { CONV_A as CONV, CONV_B as OTHER, msg, seqs } from '../../helpers/fixtures'




async function chunkFile(conversationId: string, index: number): Promise<Message[]> {
  return (JSON.parse(await readFile(join(dir, conversationId, `${index}.json`), 'utf8')) as { messages: Message[] }).messages
}

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunks-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('chunkIndex', () => {
  it('puts seqs 1..500 in chunk 0, 501..1000 in chunk 1', () => {
    expect(CHUNK_SIZE).toBe(500)
    expect([1, 500, 501, 1000, 1001].map(chunkIndex)).toEqual([0, 0, 1, 1, 2])
  })
})

describe('MessageChunks', () => {
  it('reads 1,200 messages across 3 chunk files back in order, also after reopening', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 1200))
    await chunks.flush()
    expect((await readdir(join(dir, CONV))).sort()).toEqual(['0.json', '1.json', '2.json'])
    expect(await chunkFile(CONV, 2)).toHaveLength(200)

    const reopened = new MessageChunks(dir)
    const all = await reopened.range(CONV, 1, 1200)
    expect(all.map((m) => m.seq)).toEqual(seqs(1, 1200).map((m) => m.seq))
    const across = await reopened.range(CONV, 495, 1005)
    expect(across[0]!.seq).toBe(495)
    expect(across.at(-1)!.seq).toBe(1005)
    expect(across).toHaveLength(511)
  })

  it('upserts by seq: replaces a seq in place and inserts out-of-order seqs sorted', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, [msg(1), msg(2), msg(5)])
    await chunks.put(CONV, [msg(3), msg(2, 'edited'), msg(4)])
    await chunks.put(CONV, [msg(5, 'again')])
    expect((await chunks.range(CONV, 1, 10)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'm1'],
      [2, 'edited'],
      [3, 'm3'],
      [4, 'm4'],
      [5, 'again']
    ])
    await chunks.flush()
    expect((await chunkFile(CONV, 0)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('get() finds one message, undefined when absent; an empty or reversed range is empty', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 3))
    expect((await chunks.get(CONV, 2))?.text).toBe('m2')
    expect(await chunks.get(CONV, 4)).toBeUndefined()
    expect(await chunks.get(OTHER, 1)).toBeUndefined()
    expect(await chunks.range(CONV, 3, 2)).toEqual([])
  })

  it('writes nothing until flush, and only the chunks that changed', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 1000))
    await expect(stat(join(dir, CONV))).rejects.toMatchObject({ code: 'ENOENT' })
    await chunks.flush()
    // A rewrite renames a new file into place, so an untouched chunk keeps its inode.
    const [first, second] = await Promise.all(['0.json', '1.json'].map((f) => stat(join(dir, CONV, f))))
    await chunks.put(CONV, [msg(600, 'edited')])
    await chunks.flush()
    expect((await stat(join(dir, CONV, '0.json'))).ino).toBe(first!.ino)
    expect((await stat(join(dir, CONV, '1.json'))).ino).not.toBe(second!.ino)
    expect((await chunkFile(CONV, 1)).find((m) => m.seq === 600)?.text).toBe('edited')
  })

  it('dropRange removes whole files below the edge and trims the edge chunk', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 1200))
    await chunks.flush()
    await chunks.dropRange(CONV, 1, 700)
    await chunks.flush()
    expect((await readdir(join(dir, CONV))).sort()).toEqual(['1.json', '2.json'])
    const edge = await chunkFile(CONV, 1)
    expect(edge[0]!.seq).toBe(701)
    expect(edge).toHaveLength(300)
    expect((await chunks.range(CONV, 1, 1200)).map((m) => m.seq)).toEqual(seqs(701, 1200).map((m) => m.seq))
    const reopened = new MessageChunks(dir)
    expect(await reopened.range(CONV, 1, 700)).toEqual([])
    expect(await reopened.range(CONV, 701, 1200)).toHaveLength(500)
  })

  it('dropRange up to a chunk boundary removes that chunk file entirely', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 1200))
    await chunks.flush()
    await chunks.dropRange(CONV, 1, 1000)
    await chunks.flush()
    expect(await readdir(join(dir, CONV))).toEqual(['2.json'])
    expect((await chunks.range(CONV, 1, 1200))[0]!.seq).toBe(1001)
  })

  it('dropRange of unflushed chunks forgets them: a later flush does not write them back', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 600))
    await chunks.dropRange(CONV, 1, 550)
    await chunks.flush()
    expect(await readdir(join(dir, CONV))).toEqual(['1.json'])
    expect((await chunkFile(CONV, 1)).map((m) => m.seq)).toEqual(seqs(551, 600).map((m) => m.seq))
  })

  it('a flush that fails keeps its chunks dirty: the next flush writes them', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 3))
    await chunks.put(OTHER, [msg(1, 'other', OTHER)])
    // A file where the conversation's directory must be makes the write fail.
    await writeFile(join(dir, OTHER), 'not a directory')
    await expect(chunks.flush()).rejects.toThrow()
    await rm(join(dir, OTHER))
    await chunks.flush()
    const reopened = new MessageChunks(dir)
    expect((await reopened.range(CONV, 1, 3)).map((m) => m.seq)).toEqual([1, 2, 3])
    expect((await reopened.get(OTHER, 1))?.text).toBe('other')
  })

  it('dropRange during a flush: the dropped chunk file does not come back', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 600))
    const flushing = chunks.flush()
    await chunks.dropRange(CONV, 1, 550)
    await flushing
    await chunks.flush()
    expect(await readdir(join(dir, CONV))).toEqual(['1.json'])
    expect(await new MessageChunks(dir).range(CONV, 1, 550)).toEqual([])
  })

  it('dropConversation during a flush: the conversation directory does not come back', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 10))
    const flushing = chunks.flush()
    await chunks.dropConversation(CONV)
    await flushing.catch(() => undefined)
    expect(await readdir(dir)).toEqual([])
  })

  it('dropConversation removes its directory and loaded chunks, leaving other conversations', async () => {
    const chunks = new MessageChunks(dir)
    await chunks.put(CONV, seqs(1, 10))
    await chunks.put(OTHER, [msg(1, 'other', OTHER)])
    await chunks.flush()
    await chunks.put(CONV, [msg(11)])
    await chunks.dropConversation(CONV)
    await chunks.flush()
    expect(await readdir(dir)).toEqual([OTHER])
    expect(await chunks.range(CONV, 1, 20)).toEqual([])
    expect((await chunks.get(OTHER, 1))?.text).toBe('other')
  })

  it('keeps dirty chunks loaded past the LRU limit and writes them all', async () => {
    const chunks = new MessageChunks(dir)
    // 510 chunks, more than are kept loaded; each gets one message.
    for (let index = 0; index < 510; index++) await chunks.put(CONV, [msg(index * CHUNK_SIZE + 1)])
    await chunks.flush()
    expect(await readdir(join(dir, CONV))).toHaveLength(510)
    const reopened = new MessageChunks(dir)
    expect((await reopened.range(CONV, 1, 510 * CHUNK_SIZE)).map((m) => m.seq)).toEqual(
      Array.from({ length: 510 }, (_, i) => i * CHUNK_SIZE + 1)
    )
    // Evicted chunks are read again from disk.
    expect((await chunks.get(CONV, 1))?.text).toBe('m1')
  })
})
