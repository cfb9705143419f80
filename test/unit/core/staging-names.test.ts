// A local file's name is sent as the server accepts it: an override or a
// zero-width space in it is dropped, not the whole name.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, expect, it } from 'vitest'
import { Staging } from '../../../src/main/core/transfers/staging'
import { FileName } from '../../../src/shared/schemas/files'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

it('stages a file whose name holds hidden characters under the name without them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'staging-'))
  dirs.push(dir)
  const staging = new Staging(dir)
  const reversed = await staging.stageStream(Readable.from([Buffer.from('x')]), 'invoice\u202efdp.exe', undefined)
  expect(reversed.name).toBe('invoicefdp.exe')
  const spaced = await staging.stageStream(Readable.from([Buffer.from('x')]), 'report\u200b.pdf', undefined)
  expect(spaced.name).toBe('report.pdf')
  expect(FileName.safeParse(spaced.name).success).toBe(true)
  const persian = await staging.stageStream(Readable.from([Buffer.from('x')]), 'گزارش‌ها.pdf', undefined)
  expect(persian.name).toBe('گزارش‌ها.pdf')
})
