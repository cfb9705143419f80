// History export through the client core against a real server: one or all
// conversations to a JSON zip and to HTML, with history the cache never held
// fetched from the server, attachments byte for byte, message text escaped,
// progress from 0 to done, and a cancel that leaves nothing under the name.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportReadView, ExportView } from '../../src/shared/ipc'
import { ExportConversation, ExportManifest, MANIFEST_PATH } from '../../src/shared/schemas/export'
import { startClient, waitSynced, type TestClient } from '../helpers/client'
import { bytesOf, createUpload, sendBytes } from '../helpers/files'
import { gatedFetch } from '../helpers/gated-fetch'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

const HISTORY = 260
const SCRIPT = '<script>document.title="pwned"</script>'
const IMG = '<img src=x onerror="alert(1)">'
// Not a real picture: the export copies bytes and never decodes them.
const picture = bytesOf(3_000, 3)
const bigFile = bytesOf(600_000, 5)

let srv: TestServer
let alice: TestUser
let bob: TestUser
let group: string
let direct: string
let pictureId: string
let bigFileId: string
let client: TestClient
let out: string
/** Where the "save dialog" puts exports (a test may point it at a folder that cannot be written). */
let saveDir = (): string => out

async function sendFile(conversationId: string, name: string, type: string, bytes: Buffer): Promise<string> {
  const upload = await createUpload(srv.url, alice, { conversationId, name, size: bytes.length, type })
  const id = upload.body.upload.id as string
  expect((await sendBytes(srv.url, alice, id, 0, bytes)).status).toBe(200)
  await say(alice, conversationId, `file ${name}`, [id])
  return id
}

async function say(user: TestUser, conversationId: string, text: string, attachments?: string[]): Promise<void> {
  const body = { clientId: `c${Math.random().toString(36).slice(2)}`, text, ...(attachments ? { attachments } : {}) }
  expect((await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body })).status).toBe(201)
}

async function signedIn(fetchImpl?: typeof fetch): Promise<TestClient> {
  const dir = await mkdtemp(join(tmpdir(), 'messenger-export-client-'))
  let n = 0
  const c = await startClient(dir, {
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    // The "save dialog": each export is saved under a new name in `out`.
    files: { saveFile: (name) => Promise.resolve(join(saveDir(), `${++n}-${name}`)) }
  })
  const since = c.mark()
  await c.call('session.login', { serverUrl: srv.url, username: alice.user.username, password: alice.password })
  await waitSynced(c, since)
  return c
}

async function finished(c: TestClient, started: ExportView | null): Promise<ExportView> {
  expect(started).not.toBeNull()
  return c.waitFor('exports', (e) => e.upserted.some((v) => v.id === started!.id && v.state !== 'running'), 60_000).then((e) => e.upserted.find((v) => v.id === started!.id)!)
}

function progressOf(c: TestClient, id: string): { state: string; progress: number }[] {
  return c.payloads('exports').flatMap((e) => e.upserted.filter((v) => v.id === id).map((v) => ({ state: v.state, progress: v.progress })))
}

beforeAll(async () => {
  srv = await startServer()
  alice = await register(srv.url)
  bob = await register(srv.url)
  group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Ops & <friends>', memberIds: [bob.user.id] } })).body.conversation.id
  direct = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body.conversation.id
  await say(bob, group, SCRIPT)
  await say(bob, group, IMG)
  pictureId = await sendFile(group, 'cat.png', 'image/png', picture)
  bigFileId = await sendFile(group, 'data.bin', 'application/octet-stream', bigFile)
  for (let i = 0; i < HISTORY; i++) await say(i % 2 ? alice : bob, group, `message ${i}`)
  await say(bob, direct, 'just us')
  out = await mkdtemp(join(tmpdir(), 'messenger-exports-'))
  client = await signedIn()
}, 120_000)
afterAll(async () => {
  await client?.destroy()
  await rm(out, { recursive: true, force: true })
  await srv.destroy()
})

describe('history export in the client core', { timeout: 120_000 }, () => {
  it('exports one conversation to a zip: every message (also ones the cache never had), the attachments byte for byte, progress 0 to done', async () => {
    // A fresh sign-in caches only the newest page: the oldest messages must come from the server.
    expect(client.core.ctx().cache.cursor(group).low).toBeGreaterThan(1)
    const done = await finished(client, await client.call('exports.start', { conversationId: group, format: 'zip', attachments: true }))
    expect(done).toMatchObject({ state: 'done', progress: 1, conversationsDone: 1, conversationsTotal: 1 })
    const files = unzipSync(await readFile(join(out, done.fileName!)))
    const manifest = ExportManifest.parse(JSON.parse(strFromU8(files[MANIFEST_PATH]!)))
    expect(manifest).toMatchObject({ exportedBy: 'user', withAttachments: true, account: { username: alice.user.username } })
    expect(manifest.conversations).toHaveLength(1)
    const doc = ExportConversation.parse(JSON.parse(strFromU8(files[manifest.conversations[0]!.path]!)))
    expect(doc.conversation.title).toBe('Ops & <friends>')
    const lastSeq = client.core.ctx().cache.conversation(group)!.lastSeq
    expect(doc.messages.map((m) => m.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1))
    expect(doc.messages.filter((m) => m.text.startsWith('message ')).map((m) => m.text)).toEqual(Array.from({ length: HISTORY }, (_, i) => `message ${i}`))
    expect(doc.messages.map((m) => m.text)).toContain(SCRIPT)
    expect(doc.people.map((p) => p.username).sort()).toEqual([alice.user.username, bob.user.username].sort())
    const attachments = doc.messages.flatMap((m) => m.attachments ?? [])
    expect(Buffer.from(files[attachments.find((a) => a.id === pictureId)!.path!]!)).toEqual(picture)
    expect(Buffer.from(files[attachments.find((a) => a.id === bigFileId)!.path!]!)).toEqual(bigFile)
    const steps = progressOf(client, done.id)
    expect(steps[0]).toEqual({ state: 'running', progress: 0 })
    expect(steps.at(-1)).toEqual({ state: 'done', progress: 1 })
    expect(steps.every((s, i) => i === 0 || s.progress >= steps[i - 1]!.progress)).toBe(true)
    // Nothing was left beside it, and the export did not fill the cache.
    expect((await readdir(out)).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it('exports all conversations to one HTML page: texts escaped, the image inline as a data: URI, other files listed', async () => {
    const done = await finished(client, await client.call('exports.start', { format: 'html', attachments: false }))
    expect(done).toMatchObject({ state: 'done', conversationsTotal: 2, conversationsDone: 2 })
    expect(done.fileName).toMatch(/\.html$/)
    const page = await readFile(join(out, done.fileName!), 'utf8')
    expect(page).toContain('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;')
    expect(page).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(page).not.toContain('<script')
    expect(page).not.toMatch(/<img[^>]*onerror/)
    expect(page).toContain("default-src 'none'")
    expect(page).toContain(`src="data:image/png;base64,${picture.toString('base64')}"`)
    expect(page).toContain('data.bin')
    expect(page).toContain('Ops &amp; &lt;friends&gt;')
    expect(page).toContain('just us')
    expect(page).toContain('message 0')
    expect(page).toContain(`message ${HISTORY - 1}`)
  })

  it('exports HTML with attachments as a zip of the page and the files beside it', async () => {
    const done = await finished(client, await client.call('exports.start', { conversationId: group, format: 'html', attachments: true }))
    expect(done.fileName).toMatch(/\.zip$/)
    const files = unzipSync(await readFile(join(out, done.fileName!)))
    const pageName = Object.keys(files).find((f) => f.endsWith('.html'))!
    const page = strFromU8(files[pageName]!)
    expect(page).toContain(`href="attachments/${bigFileId}/data.bin"`)
    expect(Buffer.from(files[`attachments/${bigFileId}/data.bin`]!)).toEqual(bigFile)
  })

  it('cancelling stops the export and leaves no file, whole or half, under the chosen name', async () => {
    const gate = gatedFetch((url, method) => method === 'GET' && url.includes(`/files/${bigFileId}`), 100_000)
    const slow = await signedIn(gate.fetch)
    try {
      const before = new Set(await readdir(out))
      const started = (await slow.call('exports.start', { conversationId: group, format: 'zip', attachments: true }))!
      await gate.reached
      expect((await slow.call('exports.cancel', { id: started.id })).id).toBe(started.id)
      const ended = await finished(slow, started)
      expect(ended.state).toBe('cancelled')
      expect((await readdir(out)).filter((f) => !before.has(f))).toEqual([])
    } finally {
      await slow.destroy()
    }
  })

  it('opens a zip export read-only: its conversations, messages and images; a foreign or damaged zip is a clear error', async () => {
    const done = await finished(client, await client.call('exports.start', { format: 'zip', attachments: true }))
    const open = async (path: string) => {
      const staged = await client.core.ctx().transfers.staging.stagePath(path)
      return client.core.dispatch('exports.open', { stagedId: staged.stagedId })
    }
    const opened = await open(join(out, done.fileName!))
    if (!opened.ok) throw new Error(opened.error.message)
    const view = opened.data as ExportReadView
    expect(view.conversations.map((c) => c.conversation.title).sort()).toEqual(['Ops & <friends>', bob.user.displayName].sort())
    const ops = view.conversations.find((c) => c.conversation.id === group)!
    const cat = ops.messages.flatMap((m) => m.attachments ?? []).find((a) => a.id === pictureId)!
    expect(await client.call('exports.image', { viewId: view.viewId, path: cat.path! })).toEqual({ dataUrl: `data:image/png;base64,${picture.toString('base64')}` })
    // Only the export's listed images are read: not its JSON, not another file.
    expect((await client.callError('exports.image', { viewId: view.viewId, path: MANIFEST_PATH })).code).toBe('not_found')
    await client.call('exports.close', { viewId: view.viewId })

    const bad = join(out, 'bad')
    await writeFile(`${bad}-random.zip`, bytesOf(5_000, 11))
    await writeFile(`${bad}-foreign.zip`, zipSync({ 'readme.txt': strToU8('hello') }))
    await writeFile(`${bad}-tampered.zip`, zipSync({ [MANIFEST_PATH]: strToU8(JSON.stringify({ format: 'lan-messenger-export', version: 1, conversations: 'x' })) }))
    await writeFile(`${bad}-newer.zip`, zipSync({ [MANIFEST_PATH]: strToU8(JSON.stringify({ format: 'lan-messenger-export', version: 99 })) }))
    for (const [suffix, says] of [
      ['random', 'not a zip file'],
      ['foreign', 'export.json is missing'],
      ['tampered', 'not in the export format'],
      ['newer', 'newer version']
    ] as const) {
      const refused = await open(`${bad}-${suffix}.zip`)
      expect(refused.ok).toBe(false)
      if (!refused.ok) {
        expect(refused.error.code).toBe('validation_failed')
        expect(refused.error.message).toContain(says)
      }
    }
  })

  it('an export whose folder cannot be written fails with an error; the app goes on', async () => {
    saveDir = () => join(out, 'no-such-folder')
    try {
      const ended = await finished(client, await client.call('exports.start', { conversationId: direct, format: 'zip', attachments: false }))
      expect(ended.state).toBe('failed')
      expect(ended.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('the export could not be written: ENOENT') })
    } finally {
      saveDir = () => out
    }
    const again = await finished(client, await client.call('exports.start', { conversationId: direct, format: 'html', attachments: false }))
    expect(again.state).toBe('done')
  })

  it('refuses an unknown conversation', async () => {
    expect((await client.callError('exports.start', { conversationId: '00000000-0000-4000-8000-000000000042', format: 'zip', attachments: false })).code).toBe('not_found')
  })
})
