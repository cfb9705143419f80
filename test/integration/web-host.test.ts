// The Node host: the real client core behind a local WebSocket, the built
// renderer over HTTP, and a browser that gets the same window.messenger as
// the Electron preload would give it.
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { silentLogger } from '../../src/main/core/logger'
import { startWebHost, staticRenderer, type WebHost } from '../../src/main/web/host'
import { IPC_METHOD_NAMES, MESSENGER_EVENT_NAMES } from '../../src/shared/ipc'
import { launchChromium } from '../helpers/browser'
import { startClient, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

const rendererDir = join(__dirname, '../../out/renderer')

let server: TestServer
let client: TestClient
let host: WebHost

beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npm run build')
  server = await startServer()
  client = await startClient()
  host = await startWebHost({ core: client.core, renderer: () => staticRenderer(rendererDir), log: silentLogger })
})

afterAll(async () => {
  await host.close()
  await client.destroy()
  await server.destroy()
})

/** Opens an IPC socket; resolves once open, or with the HTTP status that refused it. */
function openIpc(query: string, origin = host.origin): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc${query}`, { headers: { origin } })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
    ws.once('error', reject)
  })
}

function ask(ws: WebSocket, frame: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const reply = JSON.parse((data as Buffer).toString("utf8"))
      if ('events' in reply) return
      ws.off('message', onMessage)
      resolve(reply)
    }
    ws.on('message', onMessage)
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  })
}

describe('IPC socket', () => {
  test('refuses a connection without the secret or from another origin', async () => {
    expect(await openIpc('')).toEqual({ status: 403 })
    expect(await openIpc('?secret=wrong')).toEqual({ status: 403 })
    expect(await openIpc(`?secret=${host.secret}`, 'http://evil.example')).toEqual({ status: 403 })
  })

  test('answers requests with Results and malformed frames with clear errors', async () => {
    const opened = await openIpc(`?secret=${host.secret}`)
    if (!('ws' in opened)) throw new Error('refused')
    const { ws } = opened
    try {
      expect(await ask(ws, { id: 1, method: 'app.info', payload: {} })).toMatchObject({ id: 1, result: { ok: true, data: { host: 'web' } } })
      expect(await ask(ws, 'not json')).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_json' } } })
      expect(await ask(ws, [1, 2])).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_json' } } })
      expect(await ask(ws, { id: 'x', method: 'app.info' })).toMatchObject({ id: null, result: { ok: false } })
      expect(await ask(ws, { id: 2, method: 'no.such' })).toMatchObject({ id: 2, result: { ok: false, error: { code: 'not_found' } } })
      const bad = await ask(ws, { id: 3, method: 'session.login', payload: { serverUrl: 'file:///etc/passwd', username: 'a', password: 'b' } })
      expect(bad).toMatchObject({ id: 3, result: { ok: false, error: { code: 'validation_failed' } } })
      expect(bad.result.error.message).toContain('serverUrl')
      expect(await ask(ws, { id: 4, method: 'messages.send', payload: { conversationId: 'x', text: 'hi' } })).toMatchObject({
        id: 4,
        result: { ok: false, error: { code: 'validation_failed' } }
      })
      // Still serving after all that.
      expect(await ask(ws, { id: 5, method: 'session.get', payload: {} })).toMatchObject({ id: 5, result: { ok: true, data: { status: 'signed_out' } } })
    } finally {
      ws.close()
    }
  })
})

describe('in Chromium', () => {
  test('the page gets window.messenger with every method and listener, and can sign in', async () => {
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text())
      })
      page.on('pageerror', (e) => problems.push(e.message))
      await page.goto(host.url)
      await page.waitForFunction(() => 'messenger' in window)
      const shape = await page.evaluate(() => {
        const api = window.messenger as unknown as Record<string, unknown>
        const out: string[] = []
        for (const [key, value] of Object.entries(api)) {
          if (typeof value === 'function') out.push(key)
          else for (const [verb, fn] of Object.entries(value as object)) if (typeof fn === 'function') out.push(`${key}.${verb}`)
        }
        return out.sort()
      })
      const listeners = MESSENGER_EVENT_NAMES.map((n) => `on${n[0]!.toUpperCase()}${n.slice(1)}`)
      expect(shape).toEqual([...IPC_METHOD_NAMES, ...listeners].sort())
      // The secret left the address bar once read.
      expect(new URL(page.url()).hash).toBe('')
      const result = await page.evaluate(async (serverUrl) => {
        const sessions: string[] = []
        const stop = window.messenger.onSession((s) => sessions.push(s.status))
        const answer = await window.messenger.session.register({ serverUrl, username: 'webby', password: 'password1' })
        const online = await new Promise<boolean>((resolve) => {
          const off = window.messenger.onConnection((c) => {
            if (c.status === 'online') {
              off()
              resolve(true)
            }
          })
          void window.messenger.connection.get().then((r) => r.ok && r.data.status === 'online' && resolve(true))
        })
        stop()
        return { ok: answer.ok, status: answer.ok ? answer.data.status : answer.error.code, online, sessions }
      }, server.url)
      expect(result).toMatchObject({ ok: true, status: 'signed_in', online: true })
      // A reload keeps working: the secret was kept for this tab.
      await page.reload()
      await page.waitForFunction(() => 'messenger' in window)
      const again = await page.evaluate(() => window.messenger.session.get())
      expect(again).toMatchObject({ ok: true, data: { status: 'signed_in', me: { username: 'webby' } } })
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  })
})

describe('files between the page and the core', () => {
  test('stages a page’s bytes only with the secret and from this origin; serves saved files only with it', async () => {
    const stage = (headers: Record<string, string>) =>
      fetch(`${host.origin}/files/stage?name=a.txt&type=text%2Fplain`, { method: 'POST', headers, body: 'hello' })
    expect((await stage({})).status).toBe(403)
    expect((await stage({ 'x-messenger-secret': 'wrong' })).status).toBe(403)
    expect((await stage({ 'x-messenger-secret': host.secret, origin: 'http://evil.example' })).status).toBe(403)
    // (The browser test above signed this core in.)
    expect(client.core.sessionState().status).toBe('signed_in')
    const staged = await stage({ 'x-messenger-secret': host.secret, origin: host.origin })
    expect(staged.status).toBe(200)
    expect(await staged.json()).toEqual({ ok: true, data: { stagedId: expect.any(String), name: 'a.txt', size: 5, type: 'text/plain' } })
    expect((await fetch(`${host.origin}/files/saved/00000000-0000-4000-8000-000000000001?secret=wrong`)).status).toBe(403)
    expect((await fetch(`${host.origin}/files/saved/00000000-0000-4000-8000-000000000001?secret=${host.secret}`)).status).toBe(404)
  })

  test('serves a finished history export only with the secret, as an attachment', async () => {
    expect((await fetch(`${host.origin}/files/export/00000000-0000-4000-8000-000000000001?secret=${host.secret}`)).status).toBe(404)
    // An export of an earlier run of the host, which no page can ask for any more: swept at the first export.
    await mkdir(join(client.userDataDir, 'exports'), { recursive: true })
    await writeFile(join(client.userDataDir, 'exports', 'Old 2020-01-01.html'), 'old')
    const group = await client.call('conversations.createGroup', { title: 'Notes', memberIds: [] })
    const started = await client.call('exports.start', { conversationId: group.id, format: 'html', attachments: false })
    const done = await client.waitFor('exports', (e) => e.upserted.some((v) => v.id === started!.id && v.state === 'done'))
    const fileName = done.upserted.find((v) => v.id === started!.id)!.fileName!
    expect((await fetch(`${host.origin}/files/export/${started!.id}?secret=wrong`)).status).toBe(403)
    const res = await fetch(`${host.origin}/files/export/${started!.id}?secret=${host.secret}`)
    expect(res.status).toBe(200)
    // Never shown as a page of the host's origin: the browser saves it.
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-disposition')).toContain('attachment')
    expect(fileName).toMatch(/^Notes \d{4}-\d\d-\d\d\.html$/)
    expect(await res.text()).toContain('<!doctype html>')
    expect((await readdir(join(client.userDataDir, 'exports'))).filter((f) => !f.startsWith('.'))).toEqual([fileName])
  })
})
