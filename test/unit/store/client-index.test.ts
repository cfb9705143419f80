import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientIndex, clientKey } from '../../../server/store/messages/client-index'
import { KeyTable } from '../../../server/store/messages/key-table'
import type { Message } from '../../../src/shared/schemas/messages'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-index-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const message = (seq: number): Message =>
  ({ id: `m${seq}`, clientId: `client-${seq}`, conversationId: 'c', seq, kind: 'text', senderId: 'sender', text: 'x', createdAt: new Date(0).toISOString() })

describe('ClientIndex', () => {
  it('knows every key ever added, in a few dozen bytes each, and so after a reload', async () => {
    const index = await ClientIndex.load(dir, 0)
    const n = 20_000
    for (let seq = 1; seq <= n; seq++) index.add([message(seq)])
    expect(index.size).toBe(n)
    for (const seq of [1, 2, 4_097, 12_345, n]) expect(index.seqOf(clientKey('sender', `client-${seq}`))).toBe(seq)
    expect(index.seqOf(clientKey('sender', 'client-never-sent'))).toBeUndefined()
    expect(index.seqOf(clientKey('someone-else', 'client-1'))).toBeUndefined()
    // A Map of the same keys took ~150 B each; the table at most 48 B (12-byte slots, more than a quarter full).
    expect(index.bytes / n).toBeLessThanOrEqual(48)
    await index.close()

    const reloaded = await ClientIndex.load(dir, n)
    expect(reloaded.size).toBe(n)
    expect(reloaded.seqOf(clientKey('sender', 'client-3'))).toBe(3)
    await reloaded.close()
  })

  it('forgets expired keys from memory and from its file', async () => {
    const index = await ClientIndex.load(dir, 0)
    for (let seq = 1; seq <= 1000; seq++) index.add([message(seq)])
    await index.dropThrough(600)
    expect(index.size).toBe(400)
    expect(index.seqOf(clientKey('sender', 'client-600'))).toBeUndefined()
    expect(index.seqOf(clientKey('sender', 'client-601'))).toBe(601)
    index.add([message(1001)])
    await index.close()
    const lines = (await readFile(join(dir, 'clientids.log'), 'utf8')).trim().split('\n')
    expect(lines.map((l) => Number(l.split('\t')[0]))).toEqual(Array.from({ length: 401 }, (_, i) => 601 + i))
    const reloaded = await ClientIndex.load(dir, 1001, 600)
    expect(reloaded.size).toBe(401)
    expect(reloaded.seqOf(clientKey('sender', 'client-1001'))).toBe(1001)
    await reloaded.close()
  })
})

describe('KeyTable', () => {
  it('keeps the newest seq per key through growth and filtering', () => {
    const table = new KeyTable()
    for (let i = 0; i < 5_000; i++) table.set(`k${i}`, i + 1)
    table.set('k7', 9_999)
    expect(table.size).toBe(5_000)
    expect(table.get('k7')).toBe(9_999)
    expect(table.get('k4999')).toBe(5_000)
    const kept = table.filter((seq) => seq > 2_500)
    expect(kept.size).toBe(2_501)
    expect(kept.get('k7')).toBe(9_999)
    expect(kept.get('k100')).toBeUndefined()
    expect(kept.get('k2500')).toBe(2_501)
  })
})
