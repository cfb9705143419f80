// TLS with trust on first use, end to end: a real HTTPS server with its own
// certificate, real client cores that pin it, and a server whose certificate
// is replaced, which a client that pinned the old one refuses.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { sameFingerprint } from '../../src/shared/fingerprint'
import { PASSWORD, signUp, startClient, waitSynced, type TestClient } from '../helpers/client'
import { certificatePem, deleteCertificate, startServer, type TestServer } from '../helpers/server'
import { uniqueName } from '../helpers/http'
import { bytesOf, sha256 } from '../helpers/files'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { databaseForDataDir } from '../helpers/engines'

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  killChildServers()
  for (const step of cleanup.reverse()) await step()
})

async function tlsServer(port = 0, dataDir?: string): Promise<TestServer> {
  const server = await startServer({ tls: true, port }, dataDir)
  cleanup.push(() => server.destroy())
  return server
}

async function client(): Promise<TestClient> {
  const c = await startClient()
  cleanup.push(() => c.destroy())
  return c
}

describe('TLS with trust on first use', () => {
  it('the CLI serves HTTPS by default with a certificate kept in its data directory (in its database on PostgreSQL), and logs and answers its fingerprint', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'messenger-tls-cli-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const server = await startChildServer(dataDir, [], {}, { tls: true })
    expect(server.url).toMatch(/^https:/)
    expect(server.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(server.logs.map((l) => l['msg'])).toContain('made a new TLS certificate')
    // Verified the ordinary way, with its own certificate as the only CA (it names 127.0.0.1).
    const ca = await certificatePem({ dataDir, databaseUrl: await databaseForDataDir(dataDir) })
    const health = await new Promise<Record<string, unknown>>((resolve, reject) => {
      get(`${server.url}/api/v1/health`, { ca }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>))
      }).on('error', reject)
    })
    expect(health).toMatchObject({ ok: true, tls: true, fingerprint: server.fingerprint })
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    // The same certificate at the next start.
    const again = await startChildServer(dataDir, [], {}, { tls: true })
    expect(again.fingerprint).toBe(server.fingerprint)
    again.child.kill('SIGTERM')
    await again.exited
  })

  it('a host and two clients talk over HTTPS + WSS after each pinned the certificate', async () => {
    const server = await tlsServer()
    expect(server.url).toMatch(/^https:/)
    const port = new URL(server.url).port

    const a = await client()
    // A typed address without a scheme is tried over https first.
    const probed = await a.call('server.probe', { serverUrl: `127.0.0.1:${port}` })
    expect(probed.serverUrl).toBe(server.url)
    expect(probed.certificate).toEqual({ fingerprint: server.fingerprint, pinned: null, state: 'new' })

    // Nothing but the look at /health goes to a server the user has not trusted.
    const before = await a.callError('session.register', { serverUrl: server.url, username: uniqueName('a'), password: PASSWORD })
    expect(before.code).toBe('certificate_untrusted')

    // Trusting a fingerprint the server does not present is refused.
    const wrong = await a.callError('server.trust', { serverUrl: server.url, fingerprint: 'AB'.repeat(32) })
    expect(wrong.code).toBe('certificate_changed')
    expect(wrong.message).toContain(server.fingerprint!)

    const trusted = await a.call('server.trust', { serverUrl: server.url, fingerprint: server.fingerprint! })
    expect(trusted.state).toBe('trusted')
    expect((await a.call('server.probe', { serverUrl: server.url })).certificate?.state).toBe('trusted')
    const { me: aMe } = await signUp(a, server.url)

    // B got the fingerprint from an invite link (spelled without colons).
    const b = await client()
    await b.call('server.trust', { serverUrl: server.url, fingerprint: server.fingerprint!.replace(/:/g, '').toLowerCase() })
    const { me: bMe } = await signUp(b, server.url)

    const opened = await a.call('conversations.openDirect', { userId: bMe.id })
    if (!('conversation' in opened)) throw new Error('expected a conversation')
    const conversationId = opened.conversation.id
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))
    await a.call('messages.send', { conversationId, text: 'over TLS' })
    const got = await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'over TLS'))
    expect(got.upserted.find((x) => x.text === 'over TLS')?.senderId).toBe(aMe.id)
    await b.call('messages.send', { conversationId, text: 'and back' })
    await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'and back'))

    const health = await a.call('server.probe', { serverUrl: server.url })
    expect(health.certificate?.fingerprint).toBe(server.fingerprint)
  })

  it('files go up and down over HTTPS through the pinned connection, streamed both ways', async () => {
    const server = await tlsServer()
    const [a, b] = [await client(), await client()]
    for (const c of [a, b]) await c.call('server.trust', { serverUrl: server.url, fingerprint: server.fingerprint! })
    await signUp(a, server.url)
    const { me: bMe } = await signUp(b, server.url)
    const opened = await a.call('conversations.openDirect', { userId: bMe.id })
    if (!('conversation' in opened)) throw new Error('expected a conversation')
    const conversationId = opened.conversation.id
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))

    const bytes = bytesOf(3 * 1024 * 1024 + 17, 5)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytes]), 'plan.bin', 'application/octet-stream')
    await a.call('files.send', { conversationId, text: 'over TLS', files: [{ stagedId: staged.stagedId }] })
    const got = await b.waitFor('messages', (m) => m.conversationId === conversationId && m.upserted.some((x) => x.attachments?.length))
    const file = got.upserted.find((x) => x.attachments?.length)!.attachments![0]!
    expect(file).toMatchObject({ name: 'plan.bin', size: bytes.length, sha256: sha256(bytes) })
    const started = await b.call('files.download', { conversationId, fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 })
    const done = await b.waitFor('transfers', (t) => t.upserted.some((x) => x.id === started.id && x.state === 'done'), 20_000)
    const saved = done.upserted.find((x) => x.id === started.id)!.savedName!
    const dir = (await b.call('files.downloadDir')).directory
    expect((await readFile(join(dir, saved))).equals(bytes)).toBe(true)
  })

  it('an address typed without a scheme finds a plain-HTTP server too (after https did not answer TLS)', async () => {
    const plain = await startServer()
    cleanup.push(() => plain.destroy())
    const c = await client()
    const probed = await c.call('server.probe', { serverUrl: `127.0.0.1:${new URL(plain.url).port}` })
    expect(probed).toMatchObject({ serverUrl: plain.url, certificate: null })
  })

  it('a server whose certificate changed is refused by a client that pinned the old one, until the user trusts the new one', async () => {
    const first = await tlsServer()
    const port = Number(new URL(first.url).port)
    const a = await client()
    await a.call('server.trust', { serverUrl: first.url, fingerprint: first.fingerprint! })
    await signUp(a, first.url)
    const oldFingerprint = first.fingerprint!

    // The certificate is deleted and the server restarted: it makes a new one.
    await first.stop()
    await deleteCertificate(first)
    const since = a.mark()
    const second = await tlsServer(port, first.dataDir)
    expect(sameFingerprint(second.fingerprint!, oldFingerprint)).toBe(false)

    // The socket refuses it and says why; so does every request.
    const refused = await a.waitFor('connection', (c) => c.error?.code === 'certificate_changed', 20_000, since)
    expect(refused.status).toBe('offline')
    expect(refused.error?.message).toContain('different certificate')
    const rest = await a.callError('users.search', { query: 'x' })
    expect(rest.code).toBe('certificate_changed')
    // A fresh sign-in is refused the same way, before any password is sent.
    const login = await a.callError('session.login', { serverUrl: second.url, username: 'anyone', password: PASSWORD })
    expect(login.code).toBe('certificate_changed')

    const probed = await a.call('server.probe', { serverUrl: second.url })
    expect(probed.certificate).toEqual({ fingerprint: second.fingerprint, pinned: oldFingerprint, state: 'changed' })

    // The user checked with the server's owner and trusts the new certificate: the account comes back online.
    const mark = a.mark()
    await a.call('server.trust', { serverUrl: second.url, fingerprint: second.fingerprint! })
    await waitSynced(a, mark, 20_000)
    expect((await a.call('server.probe', { serverUrl: second.url })).certificate?.state).toBe('trusted')
  })
})
