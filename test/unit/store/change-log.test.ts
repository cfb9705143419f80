import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../src/shared/schemas/messages'
import { ChangeLog } from '../../../server/store/messages/change-log'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changelog-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const msg = (seq: number, version: number, text: string): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  clientId: `c${seq}`,
  conversationId: '00000000-0000-4000-8000-000000000000',
  seq,
  kind: 'text',
  senderId: '00000000-0000-4000-8000-000000000001',
  text,
  createdAt: new Date(0).toISOString(),
  version
})

describe('ChangeLog', () => {
  it('keeps the latest state per message and lists changes by version', async () => {
    const log = await ChangeLog.load(dir)
    await log.record(msg(1, 1, 'a1'))
    await log.record(msg(2, 2, 'b1'))
    await log.record(msg(1, 3, 'a2'))
    expect(log.apply(msg(1, 0, 'original')).text).toBe('a2')
    expect(log.apply(msg(3, 0, 'untouched')).text).toBe('untouched')
    expect(log.since(1, 0, 10).messages.map((m) => m.text)).toEqual(['b1', 'a2'])
    expect(log.since(0, 1, 10).messages.map((m) => m.seq)).toEqual([2]) // seq 1 is below the floor
    await expect(log.record(msg(2, 9, 'skips a version'))).rejects.toThrow(/out of order/)
    await log.close()
  })

  it('after a crash, keeps whole lines, drops a torn tail, and goes on from the right version', async () => {
    const log = await ChangeLog.load(dir)
    await log.record(msg(1, 1, 'kept'))
    await log.record(msg(2, 2, 'kept too'))
    await log.close()
    await appendFile(join(dir, 'changes.log'), '{"id":"torn","seq":3,"vers')
    const again = await ChangeLog.load(dir)
    expect(again.version).toBe(2)
    expect((await readFile(join(dir, 'changes.log'), 'utf8')).endsWith('\n')).toBe(true)
    await again.record(msg(3, 3, 'next'))
    await again.close()
    const third = await ChangeLog.load(dir)
    expect(third.since(0, 0, 10).messages.map((m) => m.text)).toEqual(['kept', 'kept too', 'next'])
    await third.close()
  })
})
