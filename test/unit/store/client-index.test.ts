import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientIndex, clientKey } from '../../../server/store/messages/client-index'
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
  it('keeps only the newest keys in memory however many messages are added, and so after a reload', async () => {
    const index = await ClientIndex.load(dir, 0, 100)
    for (let seq = 1; seq <= 1000; seq++) {
      index.add([message(seq)])
      expect(index.size).toBeLessThanOrEqual(100)
    }
    expect(index.seqOf(clientKey('sender', 'client-1000'))).toBe(1000)
    expect(index.seqOf(clientKey('sender', 'client-901'))).toBe(901)
    expect(index.seqOf(clientKey('sender', 'client-900'))).toBeUndefined()
    await index.close()

    const reloaded = await ClientIndex.load(dir, 1000, 100)
    expect(reloaded.size).toBe(100)
    expect(reloaded.seqOf(clientKey('sender', 'client-950'))).toBe(950)
    expect(reloaded.seqOf(clientKey('sender', 'client-10'))).toBeUndefined()
    await reloaded.close()
  })
})
