// An admin's export of one user's data: GET /admin/users/{id}/export streams
// a zip in the export format; the `users export` CLI writes the same zip
// from the data directory (or database).
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportConversation, ExportManifest, MANIFEST_PATH, PROFILE_PATH } from '../../src/shared/schemas/export'
import { cliEnv } from '../helpers/child-server'
import { startClient, waitSynced, type TestClient } from '../helpers/client'
import { bytesOf, createUpload, sendBytes } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

const ROOT = resolve(import.meta.dirname, '../..')
let srv: TestServer
let boss: TestUser
let sam: TestUser
let kim: TestUser
let group: string
const samFile = bytesOf(70_000, 7)
const kimFile = bytesOf(5_000, 9)
let samFileId: string
let kimFileId: string

async function sendFile(user: TestUser, conversationId: string, name: string, bytes: Buffer): Promise<string> {
  const upload = await createUpload(srv.url, user, { conversationId, name, size: bytes.length })
  expect(upload.status, JSON.stringify(upload.body)).toBe(201)
  const id = upload.body.upload.id as string
  expect((await sendBytes(srv.url, user, id, 0, bytes)).status).toBe(200)
  const sent = await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, {
    token: user.accessToken,
    body: { clientId: `f-${id}`, text: '', attachments: [id] }
  })
  expect(sent.status).toBe(201)
  return id
}

async function say(user: TestUser, conversationId: string, text: string): Promise<void> {
  const sent = await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body: { clientId: `t-${Math.random().toString(36).slice(2)}`, text } })
  expect(sent.status).toBe(201)
}

function readZip(bytes: Uint8Array): { manifest: ExportManifest; files: Record<string, Uint8Array> } {
  const files = unzipSync(bytes)
  return { manifest: ExportManifest.parse(JSON.parse(strFromU8(files[MANIFEST_PATH]!))), files }
}

function conversationIn(files: Record<string, Uint8Array>, path: string): ExportConversation {
  return ExportConversation.parse(JSON.parse(strFromU8(files[path]!)))
}

beforeAll(async () => {
  srv = await startServer()
  boss = await register(srv.url, `boss${process.pid}`)
  sam = await register(srv.url, `sam${process.pid}`)
  kim = await register(srv.url, `kim${process.pid}`)
  group = (await api(srv.url, 'POST', '/conversations', { token: sam.accessToken, body: { kind: 'group', title: 'Plans', memberIds: [kim.user.id] } })).body.conversation.id
  await say(sam, group, 'hello <b>kim</b>')
  await say(kim, group, 'hi sam')
  samFileId = await sendFile(sam, group, 'report.bin', samFile)
  kimFileId = await sendFile(kim, group, 'kims.bin', kimFile)
  // A conversation without sam: never in sam's export.
  await api(srv.url, 'POST', '/conversations', { token: kim.accessToken, body: { kind: 'direct', userId: boss.user.id } })
})
afterAll(async () => {
  await srv.destroy()
})

function checkSamsExport(bytes: Uint8Array): void {
  const { manifest, files } = readZip(bytes)
  expect(manifest.exportedBy).toBe('admin')
  expect(manifest.account.username).toBe(sam.user.username)
  expect(manifest.conversations.map((c) => c.title)).toEqual(['Plans'])
  const profile = JSON.parse(strFromU8(files[PROFILE_PATH]!)) as { username: string; passwordHash?: string }
  expect(profile.username).toBe(sam.user.username)
  expect(profile).not.toHaveProperty('passwordHash')
  const plans = conversationIn(files, manifest.conversations[0]!.path)
  // Everyone's messages of the conversation, as sam sees it (the system message of its creation too).
  expect(plans.messages.filter((m) => m.kind === 'text' && m.text).map((m) => m.text)).toEqual(['hello <b>kim</b>', 'hi sam'])
  expect(plans.people.map((p) => p.username).sort()).toEqual([kim.user.username, sam.user.username].sort())
  const attachments = plans.messages.flatMap((m) => m.attachments ?? [])
  const own = attachments.find((a) => a.id === samFileId)!
  const others = attachments.find((a) => a.id === kimFileId)!
  // Sam's own file is in it, byte for byte; kim's is listed, not included.
  expect(Buffer.from(files[own.path!]!)).toEqual(samFile)
  expect(others.path).toBeNull()
  expect(others.name).toBe('kims.bin')
}

describe('GET /admin/users/{id}/export', () => {
  it("gives an admin the user's data as a zip", async () => {
    const res = await fetch(`${srv.url}/api/v1/admin/users/${sam.user.id}/export`, { headers: { authorization: `Bearer ${boss.accessToken}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    expect(res.headers.get('content-disposition')).toContain(`${sam.user.username}-export.zip`)
    checkSamsExport(new Uint8Array(await res.arrayBuffer()))
  })

  it('refuses anyone who is not a server admin, and answers 404 for an unknown user', async () => {
    const refused = await api(srv.url, 'GET', `/admin/users/${sam.user.id}/export`, { token: kim.accessToken })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    const unknown = await api(srv.url, 'GET', '/admin/users/00000000-0000-4000-8000-000000000099/export', { token: boss.accessToken })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('not_found')
  })
})

describe("'Export data' in the app's admin screen", () => {
  it("saves the server's zip of the user through the client core; a non-admin's export fails as forbidden", async () => {
    const out = await mkdtemp(join(tmpdir(), 'messenger-export-app-'))
    const signedIn = async (user: TestUser): Promise<TestClient> => {
      const client = await startClient(undefined, { files: { saveFile: (name) => Promise.resolve(join(out, `${user.user.username}-${name}`)) } })
      const since = client.mark()
      await client.call('session.login', { serverUrl: srv.url, username: user.user.username, password: user.password })
      await waitSynced(client, since)
      return client
    }
    const [admin, other] = [await signedIn(boss), await signedIn(kim)]
    try {
      const ended = async (client: TestClient, id: string) =>
        (await client.waitFor('exports', (e) => e.upserted.some((v) => v.id === id && v.state !== 'running'), 30_000)).upserted.find((v) => v.id === id)!
      const started = (await admin.call('exports.userData', { userId: sam.user.id, username: sam.user.username }))!
      const done = await ended(admin, started.id)
      expect(done).toMatchObject({ state: 'done', subject: sam.user.username })
      expect(done.bytes).toBeGreaterThan(samFile.length)
      checkSamsExport(await readFile(join(out, done.fileName!)))
      const refused = await ended(other, (await other.call('exports.userData', { userId: sam.user.id, username: sam.user.username }))!.id)
      expect(refused).toMatchObject({ state: 'failed', error: { code: 'forbidden' } })
      // Nothing half-written is left by the refused one.
      expect(await readdir(out)).toEqual([done.fileName])
    } finally {
      await admin.destroy()
      await other.destroy()
      await rm(out, { recursive: true, force: true })
    }
  })
})

describe('messenger-server users export', { timeout: 180_000 }, () => {
  it('writes the same zip from the data directory, and nothing under the name when the user is unknown', async () => {
    await srv.stop()
    const out = await mkdtemp(join(tmpdir(), 'messenger-export-cli-'))
    try {
      const env = await cliEnv(srv.dataDir)
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'users', 'export', ...args, '--data-dir', srv.dataDir], { cwd: ROOT, env, encoding: 'utf8', timeout: 90_000 })
      const done = run(sam.user.username, '--to', join(out, 'sam.zip'))
      expect(done.status, done.stderr).toBe(0)
      expect(done.stdout).toContain(`Exported ${sam.user.username}`)
      checkSamsExport(await readFile(join(out, 'sam.zip')))
      const unknown = run('nobody-here', '--to', join(out, 'nobody.zip'))
      expect(unknown.status).toBe(1)
      expect(unknown.stderr).toContain('no account "nobody-here"')
      expect(await readdir(out)).toEqual(['sam.zip'])
      const usage = run(sam.user.username)
      expect(usage.status).toBe(2)
      expect(usage.stderr).toContain('export needs --to FILE.zip')
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
