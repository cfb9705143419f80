// HTTPS follows Mozilla's "intermediate" profile: TLS 1.3, and TLS 1.2 with
// forward-secret AEAD suites only (no CBC), for our ECDSA certificate and for
// an operator's RSA one; and HTTPS answers carry Strict-Transport-Security
// while plain HTTP ones do not.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type ConnectionOptions } from 'node:tls'
import { generate } from 'selfsigned'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

type Handshake = { ok: true; protocol: string | null; cipher: string } | { ok: false; error: string }

/** A TLS handshake with the server at `url` offering only what `options` say (no verification: the suites are what is tested). */
function handshake(url: string, options: ConnectionOptions): Promise<Handshake> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false, ...options }, () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name })
      socket.end()
    })
    socket.once('error', (err) => resolve({ ok: false, error: err.message }))
  })
}

function headersOf(url: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/v1/health`, { rejectUnauthorized: false }, (res) => {
      res.resume()
      resolve(res.headers)
    }).on('error', reject)
  })
}

const tls12 = (ciphers: string): ConnectionOptions => ({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers })

const servers: TestServer[] = []
let ecdsa: TestServer
let rsa: TestServer
let plain: TestServer
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'messenger-tls-profile-'))
  // An operator's RSA certificate (--tls-cert/--tls-key).
  const made = await generate([{ name: 'commonName', value: 'chat.office.test' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' })
  await writeFile(join(dir, 'cert.pem'), made.cert)
  await writeFile(join(dir, 'key.pem'), made.private, { mode: 0o600 })
  ecdsa = await startServer({ tls: true })
  rsa = await startServer({ tlsCertFile: join(dir, 'cert.pem'), tlsKeyFile: join(dir, 'key.pem') })
  plain = await startServer()
  servers.push(ecdsa, rsa, plain)
})
afterAll(async () => {
  for (const srv of servers) await srv.destroy()
  await rm(dir, { recursive: true, force: true })
})

describe('TLS profile', () => {
  it('TLS 1.3 is served', async () => {
    expect(await handshake(ecdsa.url, { minVersion: 'TLSv1.3' })).toMatchObject({ ok: true, protocol: 'TLSv1.3' })
  })

  it('TLS 1.2 with the ECDSA certificate: AEAD suites only', async () => {
    for (const cipher of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
      expect(await handshake(ecdsa.url, tls12(cipher)), cipher).toEqual({ ok: true, protocol: 'TLSv1.2', cipher })
    }
    for (const cipher of ['ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384']) {
      expect(await handshake(ecdsa.url, tls12(cipher)), cipher).toMatchObject({ ok: false })
    }
  })

  it("TLS 1.2 with an operator's RSA certificate: AEAD suites only", async () => {
    for (const cipher of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      expect(await handshake(rsa.url, tls12(cipher)), cipher).toEqual({ ok: true, protocol: 'TLSv1.2', cipher })
    }
    for (const cipher of ['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384', 'AES128-GCM-SHA256', 'AES128-SHA', 'DHE-RSA-AES128-GCM-SHA256']) {
      expect(await handshake(rsa.url, tls12(cipher)), cipher).toMatchObject({ ok: false })
    }
  })
})

describe('Strict-Transport-Security', () => {
  it('HTTPS answers carry it: one year, this host only', async () => {
    expect((await headersOf(ecdsa.url))['strict-transport-security']).toBe('max-age=31536000')
    expect((await headersOf(rsa.url))['strict-transport-security']).toBe('max-age=31536000')
  })

  it('plain HTTP answers do not', async () => {
    const res = await api(plain.url, 'GET', '/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('strict-transport-security')).toBeNull()
  })
})
