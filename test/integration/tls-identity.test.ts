// One identity for every node: on PostgreSQL the self-signed certificate and
// the token signing key are made once and kept in the database, so nodes on
// one database serve the same certificate (a client that pinned one trusts
// all) and sign with the same key; a data directory moving to PostgreSQL
// keeps its own. And the operator's certificate files (--tls-cert/--tls-key),
// served as given, or refused at start with the reason.
import { X509Certificate } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { generate } from 'selfsigned'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase, testEngine } from '../helpers/engines'
import { startServer, tokenKey, type TestServer } from '../helpers/server'

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

async function server(options: Parameters<typeof startServer>[0], dataDir?: string): Promise<TestServer> {
  const srv = await startServer(options, dataDir)
  cleanup.push(() => srv.destroy())
  return srv
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'messenger-tls-identity-'))
  cleanup.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The certificate chain a TLS client is handed by the server at `url`, leaf first (no verification: pinning is by fingerprint). */
function servedChain(url: string): Promise<X509Certificate[]> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      // The chain as sent, through getPeerCertificate(true)'s issuer links (a self-signed one links to itself).
      const chain: X509Certificate[] = []
      let peer = socket.getPeerCertificate(true)
      for (;;) {
        chain.push(new X509Certificate(peer.raw))
        if (!peer.issuerCertificate || peer.issuerCertificate === peer || peer.issuerCertificate.raw.equals(peer.raw)) break
        peer = peer.issuerCertificate
      }
      socket.end()
      resolve(chain)
    })
    socket.once('error', reject)
  })
}

function health(url: string, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/v1/health`, { ca, checkServerIdentity: () => undefined }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>))
    }).on('error', reject)
  })
}

/** A CA and a server certificate it signed, as PEM files (what an operator gets from their PKI). */
async function operatorCertificate(dir: string): Promise<{ certFile: string; keyFile: string; chainFile: string; leaf: string; ca: string }> {
  const ca = await generate([{ name: 'commonName', value: 'Test Office CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }]
  })
  const leaf = await generate([{ name: 'commonName', value: 'chat.office.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'chat.office.test' }, { type: 7, ip: '127.0.0.1' }] }]
  })
  const certFile = join(dir, 'leaf.pem')
  const chainFile = join(dir, 'chain.pem')
  const keyFile = join(dir, 'key.pem')
  await writeFile(certFile, leaf.cert)
  await writeFile(chainFile, `${leaf.cert}\n${ca.cert}\n`)
  await writeFile(keyFile, leaf.private, { mode: 0o600 })
  return { certFile, keyFile, chainFile, leaf: leaf.cert, ca: ca.cert }
}

describe.runIf(testEngine() === 'postgres')('one identity for the nodes of one database', () => {
  it('two nodes starting at the same moment make one certificate and one signing key, and serve that certificate', async () => {
    const db = await freshDatabase('two nodes, one certificate')
    const [a, b] = await Promise.all([server({ tls: true, databaseUrl: db.url }), server({ tls: true, databaseUrl: db.url })])
    expect(a.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(b.fingerprint).toBe(a.fingerprint)
    const [servedA, servedB] = await Promise.all([servedChain(a.url), servedChain(b.url)])
    expect(servedA[0]!.fingerprint256).toBe(a.fingerprint)
    expect(servedB[0]!.fingerprint256).toBe(a.fingerprint)
    expect(Buffer.from(await tokenKey(a)).equals(Buffer.from(await tokenKey(b)))).toBe(true)
    expect((await tokenKey(a)).length).toBeGreaterThanOrEqual(32)

    // A third node started later finds the same.
    const c = await server({ tls: true, databaseUrl: db.url })
    expect(c.fingerprint).toBe(a.fingerprint)
  })

  it('a data directory moving to PostgreSQL brings its certificate and signing key: clients that pinned it still trust it, its tokens still verify', async () => {
    const before = await server({ tls: true, databaseUrl: undefined })
    const key = await tokenKey(before)
    await before.stop()
    const db = await freshDatabase('moved data directory')
    const after = await server({ tls: true, databaseUrl: db.url }, before.dataDir)
    expect(after.fingerprint).toBe(before.fingerprint)
    expect(Buffer.from(await tokenKey(after)).equals(Buffer.from(key))).toBe(true)
    // Another node, with a data directory of its own, serves it too.
    const other = await server({ tls: true, databaseUrl: db.url })
    expect(other.fingerprint).toBe(before.fingerprint)
  })
})

describe("the operator's certificate (--tls-cert, --tls-key)", () => {
  it('is served as given, chain and all, and is the fingerprint the server reports', async () => {
    const files = await operatorCertificate(await tempDir())
    const srv = await server({ tlsCertFile: files.chainFile, tlsKeyFile: files.keyFile })
    const leaf = new X509Certificate(files.leaf)
    expect(srv.url).toMatch(/^https:/)
    expect(srv.fingerprint).toBe(leaf.fingerprint256)
    const chain = await servedChain(srv.url)
    expect(chain.map((c) => c.fingerprint256)).toEqual([leaf.fingerprint256, new X509Certificate(files.ca).fingerprint256])
    // Verified the ordinary way against the operator's CA.
    expect(await health(srv.url, files.ca)).toMatchObject({ tls: true, fingerprint: leaf.fingerprint256 })
  })

  it('two nodes given the same files serve the same certificate, whatever the engine keeps', async () => {
    const files = await operatorCertificate(await tempDir())
    const options = { tlsCertFile: files.certFile, tlsKeyFile: files.keyFile, tls: true }
    const [a, b] = [await server(options), await server(options)]
    expect(a.fingerprint).toBe(new X509Certificate(files.leaf).fingerprint256)
    expect(b.fingerprint).toBe(a.fingerprint)
    expect((await servedChain(b.url))[0]!.fingerprint256).toBe(a.fingerprint)
  })

  it('a missing file, a file without a certificate, or a key of another certificate stops the start with the reason', async () => {
    const dir = await tempDir()
    const files = await operatorCertificate(dir)
    const other = await operatorCertificate(await tempDir())
    await writeFile(join(dir, 'garbage.pem'), 'not a certificate\n')
    await writeFile(join(dir, 'garbage.key'), 'not a key\n')
    const start = (tlsCertFile: string, tlsKeyFile: string): Promise<unknown> =>
      startServer({ tlsCertFile, tlsKeyFile }, join(dir, `data-${Math.random().toString(36).slice(2)}`))
    await expect(start(join(dir, 'missing.pem'), files.keyFile)).rejects.toThrow(/cannot read the TLS certificate file .*missing\.pem/)
    await expect(start(files.certFile, join(dir, 'missing.key'))).rejects.toThrow(/cannot read the TLS private key file .*missing\.key/)
    await expect(start(join(dir, 'garbage.pem'), files.keyFile)).rejects.toThrow(/holds no PEM certificate/)
    await expect(start(files.certFile, join(dir, 'garbage.key'))).rejects.toThrow(/holds no usable PEM private key/)
    await expect(start(files.certFile, other.keyFile)).rejects.toThrow(/does not belong to the certificate/)
  })
})
