// Issue 21 item 5: link previews fetched by the server become part of the
// message (an update every member hears, in history and the change feed);
// the sender may remove one, for good. On both engines (the -pg project runs
// this file on PostgreSQL). Pages are served on 127.0.0.1, which the `all`
// setting allows and `public` refuses.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { expectError } from '../helpers/expect-error'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000030806000000' + '9d74ba5e0000000d49444154789c63f8ffff3f0300080001ff2b7c3a3f0000000049454e44ae426082',
  'hex'
)

let srv: TestServer
let pages: Server
let site: string
let admin: TestUser
let alice: TestUser
let bob: TestUser
let carol: TestUser
const fetched: string[] = []
const pool = new SocketPool()

const call = (user: TestUser, method: string, path: string, body?: unknown) =>
  api(srv.url, method, path, { token: user.accessToken, ...(body === undefined ? {} : { body }) })

beforeAll(async () => {
  pages = createServer((req, res) => {
    fetched.push(req.url ?? '')
    if (req.url === '/logo.png') return (res.writeHead(200, { 'content-type': 'image/png' }), res.end(PNG))
    const name = (req.url ?? '/').slice(1)
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(`<html><head><title>Page ${name}</title><meta name="description" content="About ${name}"><meta property="og:image" content="/logo.png"></head></html>`)
  })
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
  site = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
  srv = await startServer()
  admin = await register(srv.url)
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => pool.closeAll())
afterAll(async () => {
  await srv.destroy()
  pages.closeAllConnections()
  await new Promise((resolve) => pages.close(resolve))
})

async function setMode(linkPreviews: 'off' | 'public' | 'all'): Promise<void> {
  const res = await call(admin, 'PATCH', '/admin/settings', { linkPreviews })
  expect(res.body.settings.linkPreviews).toBe(linkPreviews)
}

async function direct(a: TestUser, b: TestUser): Promise<string> {
  return (await call(a, 'POST', '/conversations', { kind: 'direct', userId: b.user.id })).body.conversation.id as string
}

async function send(user: TestUser, conversationId: string, text: string): Promise<Message> {
  const res = await call(user, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), text })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.message as Message
}

/** The first message:updated of that message `user` hears after `act` that passes `until` (by default: it has a preview). */
async function nextUpdate(
  user: TestUser,
  conversationId: string,
  seq: number,
  act: () => Promise<unknown>,
  until: (m: Message) => boolean = (m) => m.preview !== undefined
): Promise<Message> {
  const socket = await pool.connect(srv.url, user.accessToken)
  const heard = new Promise<Message>((resolve) => {
    socket.on('message:updated', ({ message }) => {
      if (message.conversationId === conversationId && message.seq === seq && until(message)) resolve(message)
    })
  })
  await act()
  return heard
}

const download = (user: TestUser, fileId: string): Promise<Response> =>
  fetch(`${srv.url}/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${user.accessToken}` } })

describe('link previews', () => {
  it('the server default is public; PATCH changes it and GET tells it', async () => {
    expect((await call(admin, 'GET', '/admin/settings')).body.settings.linkPreviews).toBe('public')
    expectError(await call(alice, 'PATCH', '/admin/settings', { linkPreviews: 'all' }), 403, 'forbidden')
  })

  it('under all, a message gets its preview as an update: title, description and an image its members can download', async () => {
    await setMode('all')
    const id = await direct(alice, bob)
    let sent!: Message
    const update = await nextUpdate(bob, id, 1, async () => {
      sent = await send(alice, id, `lunch menu: ${site}/menu`)
    })
    expect(sent.preview).toBeUndefined()
    expect(update.version).toBeGreaterThan(sent.version ?? 0)
    expect(update.preview).toMatchObject({ url: `${site}/menu`, title: 'Page menu', description: 'About menu', siteName: null, image: { width: 2, height: 3 } })

    const history = (await call(bob, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]
    expect(history.find((m) => m.seq === sent.seq)?.preview).toEqual(update.preview)
    const changes = (await call(bob, 'GET', `/conversations/${id}/changes?since=0`)).body.messages as Message[]
    expect(changes.find((m) => m.seq === sent.seq)?.preview).toEqual(update.preview)

    const fileId = update.preview!.image!.fileId
    const image = await fetch(`${srv.url}/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${bob.accessToken}` } })
    expect(image.status).toBe(200)
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true)
    const outsider = await fetch(`${srv.url}/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${carol.accessToken}` } })
    expect(outsider.status).toBe(403)
  })

  it('a message deleted for everyone takes its preview\'s picture with it', async () => {
    await setMode('all')
    const id = await direct(bob, admin)
    const seq = (await send(bob, id, 'first')).seq + 1
    const previewed = await nextUpdate(admin, id, seq, () => send(bob, id, `${site}/doomed`))
    expect((await download(admin, previewed.preview!.image!.fileId)).status).toBe(200)
    expect((await call(bob, 'DELETE', `/conversations/${id}/messages/${seq}`)).status).toBe(200)
    expect((await download(admin, previewed.preview!.image!.fileId)).status).toBe(404)
  })

  it('the same link posted again is not fetched again (cached per address)', async () => {
    await setMode('all')
    const id = await direct(alice, carol)
    await nextUpdate(carol, id, 1, () => send(alice, id, `${site}/cached`))
    const before = fetched.filter((p) => p === '/cached').length
    const again = await nextUpdate(carol, id, 2, () => send(carol, id, `again ${site}/cached`))
    expect(again.preview?.title).toBe('Page cached')
    expect(fetched.filter((p) => p === '/cached').length).toBe(before)

    // Two messages with a new link at once: one fetch.
    const [one, two] = await Promise.all([send(alice, id, `${site}/twice`), send(carol, id, `also ${site}/twice`)])
    const previewed = async (): Promise<number[]> =>
      ((await call(carol, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]).filter((m) => m.preview?.title === 'Page twice').map((m) => m.seq)
    await expect.poll(previewed, { timeout: 10_000 }).toEqual([one.seq, two.seq].sort((a, b) => a - b))
    expect(fetched.filter((p) => p === '/twice')).toHaveLength(1)
  })

  it('an edit to another link previews that one; the sender removes the preview and it stays removed after edits', async () => {
    await setMode('all')
    const id = await direct(bob, carol)
    const first = await nextUpdate(carol, id, 1, () => send(bob, id, `${site}/first`))
    const edited = await nextUpdate(
      carol,
      id,
      1,
      () => call(bob, 'PATCH', `/conversations/${id}/messages/1`, { text: `no, ${site}/second` }),
      (m) => m.preview?.url === `${site}/second`
    )
    expect(edited.preview?.title).toBe('Page second')
    // The first link's picture went with its preview; the second's is there.
    expect((await download(carol, first.preview!.image!.fileId)).status).toBe(404)
    expect((await download(carol, edited.preview!.image!.fileId)).status).toBe(200)

    // Only the sender may remove it: a member who is not gets 403, a stranger 403 too.
    expectError(await call(carol, 'DELETE', `/conversations/${id}/messages/1/preview`), 403, 'forbidden')
    expectError(await call(alice, 'DELETE', `/conversations/${id}/messages/1/preview`), 403, 'forbidden')
    expectError(await call(bob, 'DELETE', `/conversations/${id}/messages/99/preview`), 404, 'not_found')

    const removed = await nextUpdate(carol, id, 1, () => call(bob, 'DELETE', `/conversations/${id}/messages/1/preview`), () => true)
    expect(removed.preview).toBeUndefined()
    expect(removed.previewRemoved).toBe(true)
    expect((await download(carol, edited.preview!.image!.fileId)).status).toBe(404)
    const twice = await call(bob, 'DELETE', `/conversations/${id}/messages/1/preview`)
    expect(twice.status).toBe(200)

    // An edit to a third link brings no preview back (the edit's update is the last one heard).
    const carolSocket = await pool.connect(srv.url, carol.accessToken)
    const updates = collect(carolSocket, 'message:updated', 1)
    await call(bob, 'PATCH', `/conversations/${id}/messages/1`, { text: `${site}/third` })
    expect((await updates)[0]!.message).toMatchObject({ text: `${site}/third`, previewRemoved: true })
    const sentAfter = await nextUpdate(carol, id, 2, () => send(carol, id, `${site}/marker`))
    expect(sentAfter.preview?.title).toBe('Page marker')
    const history = (await call(carol, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]
    expect(history[0]).toMatchObject({ text: `${site}/third`, previewRemoved: true })
    expect(history[0]!.preview).toBeUndefined()
  })

  it('by socket: message:removePreview for the sender, refused for others', async () => {
    await setMode('all')
    const id = await direct(alice, bob)
    const seq = (await send(alice, id, 'plain')).seq + 1
    await nextUpdate(bob, id, seq, () => send(alice, id, `${site}/socket`))
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    const refused = await emitAck(bobSocket, 'message:removePreview', { conversationId: id, seq })
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const aliceSocket = await pool.connect(srv.url, alice.accessToken)
    const heard = collect(bobSocket, 'message:updated', 1)
    const ok = await emitAck<{ message: Message }>(aliceSocket, 'message:removePreview', { conversationId: id, seq })
    expect(ok.ok && ok.data.message.preview).toBeUndefined()
    expect((await heard)[0]!.message).toMatchObject({ seq, previewRemoved: true })
  })

  it('under public, a page on 127.0.0.1 gives no preview; under off nothing is fetched', async () => {
    for (const mode of ['public', 'off'] as const) {
      await setMode(mode)
      const id = await direct(carol, admin)
      const count = fetched.length
      const first = await send(carol, id, `${site}/${mode}-page`)
      // A message sent after it, previewed under all, shows the server has handled the first one's link by then.
      await setMode('all')
      await nextUpdate(admin, id, first.seq + 1, () => send(carol, id, `${site}/after-${mode}`))
      const history = (await call(carol, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]
      expect(history.find((m) => m.seq === first.seq)!.preview).toBeUndefined()
      expect(fetched.slice(count)).not.toContain(`/${mode}-page`)
    }
  })
})

describe('link previews and retention', () => {
  it('a message that expires takes its preview\'s picture with it', async () => {
    let skew = 0
    const DAY = 24 * 3600_000
    const old = await startServer({ clock: () => Date.now() + skew })
    try {
      const boss = await register(old.url)
      const other = await register(old.url)
      await api(old.url, 'PATCH', '/admin/settings', { token: boss.accessToken, body: { linkPreviews: 'all' } })
      const id = (await api(old.url, 'POST', '/conversations', { token: boss.accessToken, body: { kind: 'direct', userId: other.user.id } })).body.conversation.id as string
      const socket = await pool.connect(old.url, other.accessToken)
      const previewed = new Promise<Message>((resolve) => socket.on('message:updated', ({ message }) => message.preview && resolve(message)))
      await api(old.url, 'POST', `/conversations/${id}/messages`, { token: boss.accessToken, body: { clientId: randomUUID(), text: `${site}/expiring` } })
      const fileId = (await previewed).preview!.image!.fileId
      const get = () => fetch(`${old.url}/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${other.accessToken}` } })
      expect((await get()).status).toBe(200)
      skew = 10 * DAY
      await api(old.url, 'POST', `/conversations/${id}/messages`, { token: other.accessToken, body: { clientId: randomUUID(), text: 'newer' } })
      const expired = new Promise<void>((resolve) => socket.on('conversation:expired', () => resolve()))
      await api(old.url, 'PATCH', '/admin/settings', { token: boss.accessToken, body: { retentionDays: 5 } })
      await expired
      // The files go after the floor moves (retention.service.ts).
      await expect.poll(async () => (await get()).status, { timeout: 15_000 }).toBe(404)
    } finally {
      await old.destroy()
    }
  })
})
