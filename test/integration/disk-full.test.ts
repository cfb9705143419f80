// A disk that cannot take an upload's bytes: the sender hears 503 with the
// reason and the offset to resume from, the operator reads it in the log,
// the server goes on, and once there is room the upload completes whole.
// The full disk is Linux's /dev/full (every write fails with ENOSPC), put
// where the part file was.
import { rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { api, register, type TestUser } from '../helpers/http'
import { bytesOf, createUpload, download, sendBytes, sha256 } from '../helpers/files'
import { startServer, type TestServer } from '../helpers/server'

const lines: Record<string, unknown>[] = []
let srv: TestServer
let alice: TestUser
let group = ''

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>)
      done()
    }
  })
  srv = await startServer({ logger: pino({ level: 'info' }, sink) })
  alice = await register(srv.url)
  group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Full', memberIds: [] } })).body.conversation.id
})
afterAll(() => srv.destroy())

it.runIf(process.platform === 'linux')('a write the disk refuses answers 503 unavailable naming why, is logged, and the upload resumes once there is room', async () => {
  const bytes = bytesOf(3 << 20, 9)
  const id = (await createUpload(srv.url, alice, { conversationId: group, name: 'big.bin', size: bytes.length, sha256: sha256(bytes) })).body.upload.id as string
  const part = join(srv.dataDir, 'files', `${id}.part`)
  await rm(part)
  await symlink('/dev/full', part)

  const refused = await sendBytes(srv.url, alice, id, 0, bytes)
  expect(refused.status).toBe(503)
  expect(refused.body.error.code).toBe('unavailable')
  expect(refused.body.error.message).toMatch(/no space left on device/i)
  expect(refused.body.error.message).toMatch(/it has 0/)
  expect(lines.some((l) => l.code === 'unavailable' && String(l.msg).includes('no space left'))).toBe(true)

  // Nothing became a file, the upload is still there, and the server still answers.
  const state = await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })
  expect(state.body.upload).toMatchObject({ offset: 0, complete: false })
  expect((await download(srv.url, alice, id)).status).toBe(404)

  // Room again: the part file is a file once more, and the same upload completes.
  await rm(part)
  await writeFile(part, '', { mode: 0o600 })
  const sent = await sendBytes(srv.url, alice, id, 0, bytes)
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  expect(sent.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
  expect((await download(srv.url, alice, id)).bytes.equals(bytes)).toBe(true)
})
