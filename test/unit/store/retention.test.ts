// Retention in the message log: the floor moves over old messages, whole
// segments below it are deleted, the boundary segment and the change log are
// rewritten without the expired lines, and seqs, versions and deduplication
// carry on, also after reopening and after a run cut short.
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../src/shared/schemas/messages'
import { FileMessageRepo } from '../../../server/store/messages/file-message-repo'
import { SEGMENT_SIZE } from '../../../server/store/messages/segments'

const conv = randomUUID()
const sender = randomUUID()
const T0 = Date.parse('2026-01-01T00:00:00Z')
let root: string
let now = T0
let repo: FileMessageRepo

const open = (): Promise<FileMessageRepo> => FileMessageRepo.open(root, { now: () => now })
const iso = (ms: number): string => new Date(ms).toISOString()

async function appendMany(n: number, text: string): Promise<Message[]> {
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => repo.append(conv, { clientId: `${text}-${i}`, senderId: sender, text: `${text} ${i}` }))
  )
  return results.map((r) => r.message)
}

async function files(): Promise<string[]> {
  return (await readdir(join(root, conv))).sort()
}

/** Every line of the conversation's segments and change log, parsed (throws on a bad line). */
async function linesOnDisk(): Promise<Message[]> {
  const out: Message[] = []
  for (const name of await files()) {
    if (!name.endsWith('.jsonl') && name !== 'changes.log') continue
    for (const line of (await readFile(join(root, conv, name), 'utf8')).split('\n')) if (line) out.push(JSON.parse(line) as Message)
  }
  return out
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'retention-'))
  now = T0
  repo = await open()
})
afterEach(async () => {
  await repo.close()
  await rm(root, { recursive: true, force: true })
})

describe('expire', () => {
  it('deletes whole segments below the floor and rewrites the boundary segment, keeping seqs', async () => {
    const old = await appendMany(SEGMENT_SIZE * 2 + 10, 'old') // seqs 1..1034: segments 0, 1, 2
    await repo.mutate(conv, 3, (m) => ({ ...m, text: 'old, edited' }))
    now = T0 + 1000
    await appendMany(5, 'new') // 1035..1039
    await repo.mutate(conv, 1036, (m) => ({ ...m, text: 'new, edited' }))
    expect(old.at(-1)?.seq).toBe(1034)

    const result = await repo.expire(conv, iso(T0 + 500))
    // keptFrom: when the oldest message still kept was created.
    expect(result).toMatchObject({ expiredSeq: 1034, moved: true, keptFrom: iso(T0 + 1000) })
    expect(await files()).toEqual(['00000002.jsonl', 'changes.log', 'clientids.log', 'retention.json', 'system.seqs'])
    const lines = await linesOnDisk()
    expect(lines.every((m) => m.seq > 1034)).toBe(true)
    expect(lines.filter((m) => m.seq === 1036).map((m) => m.text)).toContain('new, edited')

    const page = await repo.page(conv, { after: 0, limit: 100 })
    expect(page.messages.map((m) => m.seq)).toEqual([1035, 1036, 1037, 1038, 1039])
    expect(page.expiredSeq).toBe(1034)
    expect((await repo.page(conv, { before: 1036, limit: 100 })).messages.map((m) => m.seq)).toEqual([1035])
    expect(await repo.mutate(conv, 3, (m) => m)).toBeNull()
    expect((await repo.changes(conv, 0, 10)).messages.map((m) => m.seq)).toEqual([1036])
    expect(await repo.version(conv)).toBe(2)

    // After reopening: same floor, the next seq follows, a retried clientId is still one message.
    await repo.close()
    repo = await open()
    expect(await repo.expiredSeq(conv)).toBe(1034)
    expect((await repo.last(conv))?.seq).toBe(1039)
    const again = await repo.append(conv, { clientId: 'new-2', senderId: sender, text: 'retry' })
    expect(again).toMatchObject({ created: false, message: { seq: 1037 } })
    expect((await repo.append(conv, { clientId: 'later', senderId: sender, text: 'later' })).message.seq).toBe(1040)
    const edit = await repo.mutate(conv, 1040, (m) => ({ ...m, text: 'later, edited' }))
    expect(edit?.message.version).toBe(3)
    expect(await repo.expire(conv, iso(T0 + 500))).toMatchObject({ moved: false, keptFrom: iso(T0 + 1000) })
  })

  it('keeps the seq numbering when every message expired, also after reopening', async () => {
    await appendMany(SEGMENT_SIZE, 'old') // exactly one full segment
    now = T0 + 1000
    expect(await repo.expire(conv, iso(now))).toMatchObject({ expiredSeq: SEGMENT_SIZE, moved: true, keptFrom: null })
    expect(await repo.last(conv)).toBeNull()
    expect(await files()).not.toContain('00000000.jsonl')
    await repo.close()
    repo = await open()
    expect((await repo.append(conv, { clientId: 'n', senderId: sender, text: 'next' })).message.seq).toBe(SEGMENT_SIZE + 1)
  })

  it('finishes a run cut short: leftover segments and temp files below the floor go at the next run', async () => {
    await appendMany(SEGMENT_SIZE + 3, 'old')
    now = T0 + 1000
    await appendMany(2, 'new')
    await repo.close()
    // What a crash after recording the floor and before deleting anything leaves.
    await writeFile(join(root, conv, 'retention.json'), JSON.stringify({ expiredSeq: SEGMENT_SIZE + 3, version: 0 }))
    await writeFile(join(root, conv, '00000001.jsonl.tmp'), '{"seq":513,"text":"old half written')
    repo = await open()
    expect((await repo.page(conv, { after: 0 })).messages.map((m) => m.text)).toEqual(['new 0', 'new 1'])
    const result = await repo.expire(conv, iso(T0 + 500))
    expect(result).toMatchObject({ expiredSeq: SEGMENT_SIZE + 3, moved: false })
    expect(await files()).toEqual(['00000001.jsonl', 'clientids.log', 'retention.json', 'system.seqs'])
    expect((await linesOnDisk()).map((m) => m.text)).toEqual(['new 0', 'new 1'])
  })

  it('reports the attachments of the messages it removed', async () => {
    const attachment = { id: randomUUID(), name: 'a.txt', size: 1, type: 'text/plain', sha256: 'x' }
    await repo.append(conv, { clientId: 'f', senderId: sender, text: '', attachments: [attachment] })
    now = T0 + 1000
    expect((await repo.expire(conv, iso(now))).attachments).toEqual([attachment.id])
  })
})
