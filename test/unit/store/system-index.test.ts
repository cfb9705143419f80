// The data directory's list of system-message seqs (system-index.ts): history
// from before the list existed, and seqs of writes that never became durable.
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FileMessageRepo } from '../../../server/store/messages/file-message-repo'
import type { MessageDraft } from '../../../server/store/types'

let root: string
let repo: FileMessageRepo
const C = randomUUID()
const text = (n: number): MessageDraft => ({ clientId: `t-${n}`, senderId: 'u1', text: `text ${n}` })
const event = (n: number): MessageDraft => ({ clientId: `s-${n}`, senderId: 'u1', text: '', kind: 'system', system: { type: 'group_renamed', title: `t${n}` } })
const listFile = (): string => join(root, C, 'system.seqs')

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'system-index-'))
  repo = await FileMessageRepo.open(root)
})

afterEach(async () => {
  await repo.close()
  await rm(root, { recursive: true, force: true })
})

async function reopen(): Promise<void> {
  await repo.close()
  repo = await FileMessageRepo.open(root)
}

it('history written before the list existed is read once from the segments, then listed', async () => {
  for (const d of [text(1), event(2), text(3), event(4), text(5)]) await repo.append(C, d)
  await reopen()
  await rm(listFile())
  await reopen()
  expect(await repo.systemCount(C, 0, 5)).toBe(2)
  expect(await repo.systemCount(C, 2, 5)).toBe(1)
  await repo.append(C, event(6))
  expect(await repo.systemCount(C, 0, 6)).toBe(3)
  await reopen()
  expect((await readFile(listFile(), 'utf8')).split('\n')[0]).toBe('from 0')
  expect(await repo.systemCount(C, 0, 6)).toBe(3)
})

it('a listed seq the segments never got (a crash between the two writes) is dropped, so a text message there is not taken for one', async () => {
  for (const d of [text(1), event(2)]) await repo.append(C, d)
  await reopen()
  // The list says 3 and a torn 4 were system messages; the segments end at 2.
  await writeFile(listFile(), 'from 0\n2\n3\n4')
  await reopen()
  for (const d of [text(3), text(4)]) await repo.append(C, d)
  expect(await repo.systemCount(C, 0, 4)).toBe(1)
  await reopen()
  expect(await repo.systemCount(C, 0, 4)).toBe(1)
})

it('a conversation with no system message gets its list, so later counts read no history', async () => {
  for (let n = 1; n <= 3; n++) await repo.append(C, text(n))
  await reopen()
  expect(await readFile(listFile(), 'utf8')).toBe('from 0\n')
  expect(await repo.systemCount(C, 0, 3)).toBe(0)
})
