import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxUpgrade } from '../../../src/main/core/cache/formats'
import { Outbox } from '../../../src/main/core/cache/outbox'
import type { PendingMessage } from '../../../src/shared/ipc'

const CONV = '00000000-0000-4000-8000-00000000000a'
const OTHER = '00000000-0000-4000-8000-00000000000b'

function pending(clientId: string, conversationId = CONV): PendingMessage {
  return { clientId, conversationId, text: `text ${clientId}`, createdAt: '2030-01-01T00:00:00.000Z', state: 'pending', error: null }
}

const ids = (list: PendingMessage[]): string[] => list.map((e) => e.clientId)

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('Outbox', () => {
  it('starts empty', async () => {
    const outbox = await Outbox.open(dir)
    expect(outbox.all()).toEqual([])
    expect(outbox.next()).toBeUndefined()
    expect(outbox.pendingCount()).toBe(0)
  })

  it('is durable: every add is on disk when it resolves and a reopened outbox has the same order', async () => {
    const outbox = await Outbox.open(dir)
    await outbox.add(pending('a'))
    const onDisk = JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8')) as { entries: PendingMessage[] }
    expect(ids(onDisk.entries)).toEqual(['a'])
    await outbox.add(pending('b', OTHER))
    await outbox.add(pending('c'))
    const reopened = await Outbox.open(dir)
    expect(reopened.all()).toEqual([pending('a'), pending('b', OTHER), pending('c')])
  })

  it('next() is the oldest pending entry, skipping failed ones; pendingCount counts pending only', async () => {
    const outbox = await Outbox.open(dir)
    for (const id of ['a', 'b', 'c']) await outbox.add(pending(id))
    const error = { code: 'forbidden' as const, message: 'not a member' }
    const failed = await outbox.setState('a', 'failed', error)
    expect(failed).toMatchObject({ clientId: 'a', state: 'failed', error })
    // A failed message keeps its place in the queue.
    expect(ids(outbox.all())).toEqual(['a', 'b', 'c'])
    expect(outbox.next()?.clientId).toBe('b')
    expect(outbox.pendingCount()).toBe(2)
    expect(outbox.get('a')).toMatchObject({ state: 'failed', error })
  })

  it('a retried message goes back to pending at the end of the queue, also on disk', async () => {
    const outbox = await Outbox.open(dir)
    for (const id of ['a', 'b', 'c']) await outbox.add(pending(id))
    await outbox.setState('a', 'failed', { code: 'forbidden', message: 'no' })
    const retried = await outbox.setState('a', 'pending', null)
    expect(retried).toEqual(pending('a'))
    expect(ids(outbox.all())).toEqual(['b', 'c', 'a'])
    expect(ids((await Outbox.open(dir)).all())).toEqual(['b', 'c', 'a'])
  })

  it('setState of an unknown clientId returns undefined and writes nothing', async () => {
    const outbox = await Outbox.open(dir)
    let changes = 0
    outbox.onChange = () => changes++
    expect(await outbox.setState('nope', 'failed', null)).toBeUndefined()
    expect(changes).toBe(0)
  })

  it('remove drops the given entries and tells whether any was there', async () => {
    const outbox = await Outbox.open(dir)
    for (const id of ['a', 'b', 'c']) await outbox.add(pending(id))
    expect(await outbox.remove(['a', 'c', 'x'])).toBe(true)
    expect(ids(outbox.all())).toEqual(['b'])
    expect(await outbox.remove(['a'])).toBe(false)
    expect(await outbox.remove([])).toBe(false)
    expect(ids((await Outbox.open(dir)).all())).toEqual(['b'])
  })

  it('forConversation keeps the queue order of one conversation', async () => {
    const outbox = await Outbox.open(dir)
    await outbox.add(pending('a'))
    await outbox.add(pending('b', OTHER))
    await outbox.add(pending('c'))
    expect(ids(outbox.forConversation(CONV))).toEqual(['a', 'c'])
    expect(ids(outbox.forConversation(OTHER))).toEqual(['b'])
    expect(outbox.forConversation('00000000-0000-4000-8000-000000000000')).toEqual([])
  })

  it('all() is a copy: changing it does not change the outbox', async () => {
    const outbox = await Outbox.open(dir)
    await outbox.add(pending('a'))
    outbox.all().pop()
    expect(ids(outbox.all())).toEqual(['a'])
  })

  it('onChange runs after each change is on disk', async () => {
    const outbox = await Outbox.open(dir)
    const seen: string[][] = []
    outbox.onChange = () => {
      // Read synchronously inside the hook: the state on disk at that moment is what matters.
      seen.push(ids((JSON.parse(readFileSync(join(dir, 'outbox.json'), 'utf8')) as { entries: PendingMessage[] }).entries))
    }
    await outbox.add(pending('a'))
    await outbox.add(pending('b'))
    await outbox.setState('a', 'pending', null)
    await outbox.remove(['b'])
    expect(seen).toEqual([['a'], ['a', 'b'], ['b', 'a'], ['a']])
  })
})


describe('Outbox format', () => {
  it('upgrades an older outbox through its steps in order, after a copy beside it, keeping every message', async () => {
    const old = { entries: [pending('a'), pending('b')] }
    await writeFile(join(dir, 'outbox.json'), JSON.stringify(old))
    const ran: string[] = []
    const step = (from: number): OutboxUpgrade => ({
      from,
      name: `${from} to ${from + 1}`,
      run: ({ data }) => {
        ran.push(`${from}: ${JSON.stringify(data['format'] ?? null)}`)
        data[`step${from}`] = true
        return Promise.resolve()
      }
    })
    const outbox = await Outbox.open(dir, { current: 3, steps: [step(1), step(2)] })
    expect(ran).toEqual(['1: null', '2: null'])
    expect(ids(outbox.all())).toEqual(['a', 'b'])
    expect(JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8'))).toMatchObject({ format: 3, step1: true, step2: true, entries: old.entries })
    expect(JSON.parse(await readFile(join(dir, 'outbox-backup-v1.json'), 'utf8'))).toEqual(old)
    // Upgraded once: opening again runs nothing.
    await Outbox.open(dir, { current: 3, steps: [step(1), step(2)] })
    expect(ran).toHaveLength(2)
  })

  it('refuses an outbox a newer app wrote, as data_too_new, leaving it as it was', async () => {
    const text = JSON.stringify({ format: 2, entries: [pending('a')] })
    await writeFile(join(dir, 'outbox.json'), text)
    await expect(Outbox.open(dir)).rejects.toMatchObject({ code: 'data_too_new', message: expect.stringContaining('(format 2); this app reads format 1 and older') as unknown })
    expect(await readFile(join(dir, 'outbox.json'), 'utf8')).toBe(text)
  })
})
