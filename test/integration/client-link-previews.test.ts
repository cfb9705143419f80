// Issue 21: link previews through the client core: the preview arrives as an
// update of the message into the cache (and the window's events); the sender
// removes it with messages.removePreview, and the other side sees it go.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, pageAll, type TestClient } from '../helpers/client'

let srv: TestServer
let pages: Server
let site: string
const clients: TestClient[] = []

beforeAll(async () => {
  pages = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<html><head><meta property="og:title" content="Canteen"><meta property="og:description" content="Soup of the day"></head></html>')
  })
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
  site = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
  srv = await startServer()
  // The first account is the server admin; it lets previews reach this machine's page.
  const admin = await register(srv.url)
  await api(srv.url, 'PATCH', '/admin/settings', { token: admin.accessToken, body: { linkPreviews: 'all' } })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
  pages.closeAllConnections()
  await new Promise((resolve) => pages.close(resolve))
})

describe('link previews in the client core', () => {
  it('the preview reaches the cache of both sides; the sender removes it and it goes on the other side too', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const text = `lunch? ${site}/canteen`
    await a.call('messages.send', { conversationId, text })
    const heard = await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === text && x.preview !== undefined))
    const previewed = heard.upserted.find((x) => x.text === text)!
    expect(previewed.preview).toMatchObject({ url: `${site}/canteen`, title: 'Canteen', description: 'Soup of the day', image: null })
    expect((await pageAll(b, conversationId)).find((m) => m.seq === previewed.seq)?.preview?.title).toBe('Canteen')

    expect((await b.callError('messages.removePreview', { conversationId, seq: previewed.seq })).code).toBe('forbidden')
    const since = b.mark()
    const removed = await a.call('messages.removePreview', { conversationId, seq: previewed.seq })
    expect(removed).toMatchObject({ seq: previewed.seq, previewRemoved: true })
    expect(removed.preview).toBeUndefined()
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.seq === previewed.seq && x.previewRemoved === true && x.preview === undefined), 10_000, since)
    const cached = (await pageAll(b, conversationId)).find((m) => m.seq === previewed.seq)
    expect(cached?.preview).toBeUndefined()
  })
})
