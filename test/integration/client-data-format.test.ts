// Format versions of an account's data in the app (the client core on a real
// user-data directory, against a real server): an older cache is dropped and
// fetched again while the outbox's unsent messages are kept and sent; data a
// newer app wrote keeps its account closed, says why, and is left as it was;
// the app's hosted server on a newer data directory says why it did not start.
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_FORMAT, OUTBOX_FORMAT } from '../../src/main/core/cache/formats'
import type { PendingMessage } from '../../src/shared/ipc'
import { directChat, pageAll, PASSWORD, signUp, startClient, waitSynced, type TestClient } from '../helpers/client'
import { TEST_HOSTING } from '../helpers/hosting'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
const clients: TestClient[] = []

async function client(dir?: string): Promise<TestClient> {
  const c = await startClient(dir)
  clients.push(c)
  return c
}

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

const accountDir = (c: TestClient, accountId: string): string => join(c.userDataDir, 'accounts', accountId)

async function editJson(path: string, change: (data: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  await writeFile(path, JSON.stringify(change(JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>)))
}

/** Every file under `dir` with its size and digest: what "left as it was" compares. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out[path.slice(dir.length)] = `${(await stat(path)).size} ${createHash('sha256').update(await readFile(path)).digest('hex')}`
  }
  return out
}

describe('the app’s data formats', () => {
  it('an older cache is dropped and fetched again from the server; the outbox keeps its unsent message and sends it', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    await a.call('messages.send', { conversationId, text: 'sent before the update' })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'sent before the update'))
    const { account } = (await a.call('session.get')) as { account: { id: string } }
    await a.close()

    const dir = accountDir(a, account.id)
    // An older cache (format 0), with something in it the server never had; and a message written offline in the outbox.
    await editJson(join(dir, 'cache', 'meta.json'), (meta) => ({ ...meta, schema: CACHE_FORMAT - 1 }))
    await writeFile(join(dir, 'cache', 'messages', 'planted.json'), '{"messages":[]}')
    const offline: PendingMessage = { clientId: randomUUID(), conversationId, text: 'written offline', createdAt: new Date().toISOString(), state: 'pending', error: null }
    await editJson(join(dir, 'outbox.json'), (outbox) => ({ ...outbox, entries: [offline] }))

    const since = b.mark()
    const again = await client(a.userDataDir)
    await waitSynced(again)
    // The window has the conversation and its history again, from the server.
    expect((await again.call('conversations.list')).map((c) => c.id)).toEqual([conversationId])
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'written offline' && x.clientId === offline.clientId), 10_000, since)
    await expect.poll(async () => (await pageAll(again, conversationId)).map((m) => m.text)).toEqual(['sent before the update', 'written offline'])
    await expect(stat(join(dir, 'cache', 'messages', 'planted.json'))).rejects.toMatchObject({ code: 'ENOENT' })
    await again.close()
    expect(JSON.parse(await readFile(join(dir, 'cache', 'meta.json'), 'utf8'))).toMatchObject({ schema: CACHE_FORMAT })
    expect(JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8'))).toEqual({ format: OUTBOX_FORMAT, entries: [] })
  })

  it('an outbox a newer app wrote: the account stays closed, the window is told why, and nothing of it changes', async () => {
    const me = await client()
    const { account } = await signUp(me, srv.url)
    await me.close()
    const dir = accountDir(me, account.id)
    const unsent = { clientId: randomUUID(), conversationId: randomUUID(), text: 'in a newer shape', createdAt: new Date().toISOString(), state: 'pending', error: null }
    await writeFile(join(dir, 'outbox.json'), JSON.stringify({ format: OUTBOX_FORMAT + 1, entries: [unsent], somethingNew: true }))
    const before = await tree(dir)

    const again = await client(me.userDataDir)
    expect(await again.call('session.get')).toMatchObject({ status: 'signed_out', reason: 'data_too_new', accounts: [{ id: account.id }] })
    // Signing in again does not open it either, and says why.
    const refused = await again.callError('session.login', { serverUrl: srv.url, username: account.username, password: PASSWORD })
    expect(refused.code).toBe('data_too_new')
    expect(refused.message).toContain(`written by a newer LAN Messenger (format ${OUTBOX_FORMAT + 1}); this app reads format ${OUTBOX_FORMAT} and older`)
    await again.close()
    expect(await tree(dir)).toEqual(before)
  })

  it('with several accounts, one whose cache a newer app wrote stays closed; the others open, and choosing it says why', async () => {
    const me = await client()
    const first = await signUp(me, srv.url)
    const second = await signUp(me, srv.url)
    await me.close()
    // The shown account (the last signed in) is the one a newer app wrote.
    const dir = accountDir(me, second.account.id)
    await editJson(join(dir, 'cache', 'meta.json'), (meta) => ({ ...meta, schema: CACHE_FORMAT + 1 }))
    const before = await tree(dir)

    const again = await client(me.userDataDir)
    expect(await again.call('session.get')).toMatchObject({ status: 'signed_in', account: { id: first.account.id } })
    const refused = await again.callError('session.switchAccount', { accountId: second.account.id })
    expect(refused).toMatchObject({ code: 'data_too_new' })
    expect(refused.message).toContain(`this account's cache (${join(dir, 'cache', 'meta.json')}) was written by a newer LAN Messenger (format ${CACHE_FORMAT + 1})`)
    await again.close()
    expect(await tree(dir)).toEqual(before)
  })

  it('the app’s hosted server on a data directory a newer server wrote: the hosting status says why, naming both formats', async () => {
    const host = await startClient(undefined, { hosting: TEST_HOSTING })
    clients.push(host)
    const dataDir = join(host.userDataDir, 'hosted-server')
    await mkdir(dataDir, { recursive: true })
    await writeFile(join(dataDir, 'db.json'), JSON.stringify({ schemaVersion: 99, users: {} }))
    const status = await host.call('hosting.start', { port: 0 })
    expect(status.state).toBe('failed')
    expect(status.error?.message).toContain(`was written by a newer messenger-server (format 99); this server`)
    expect(JSON.parse(await readFile(join(dataDir, 'db.json'), 'utf8'))).toEqual({ schemaVersion: 99, users: {} })
  })
})
