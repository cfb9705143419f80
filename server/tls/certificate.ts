// The server's own TLS certificate: self-signed, made on first start and kept
// in the data directory (tls/), so its fingerprint stays the same across
// restarts and clients that pinned it keep trusting it. Deleting tls/ makes a
// new one, which every client that pinned the old one refuses.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { mkdirDurable, writeFileAtomic } from '../../src/node/fsync'
import { pemFingerprint } from '../../src/node/certificate'

export interface ServerCertificate {
  key: string
  cert: string
  /** SHA-256, upper-case hex with colons. */
  fingerprint: string
}

/** Clients pin the certificate itself, so it outlives any server; renewing it is a deliberate act. */
const VALID_YEARS = 20

export function certificateDir(dataDir: string): string {
  return join(dataDir, 'tls')
}

export async function loadOrCreateCertificate(dataDir: string): Promise<ServerCertificate & { created: boolean }> {
  const dir = certificateDir(dataDir)
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')])
    return { cert, key, fingerprint: pemFingerprint(cert), created: false }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const made = await makeCertificate()
  await mkdirDurable(dir)
  // The key first: a cert without its key would be read back as a broken pair.
  await writeFileAtomic(keyPath, made.key, 0o600)
  await writeFileAtomic(certPath, made.cert, 0o644)
  return { ...made, created: true }
}

async function makeCertificate(): Promise<ServerCertificate> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000)
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_YEARS * 365 * 24 * 3600 * 1000)
  const pems = await generate([{ name: 'commonName', value: `LAN Messenger on ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      // Names are for browsers and tools; the messenger client checks the fingerprint, not the name.
      { name: 'subjectAltName', altNames: [...dnsNames().map((value) => ({ type: 2 as const, value })), { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] }
    ]
  })
  return { key: pems.private, cert: pems.cert, fingerprint: pemFingerprint(pems.cert) }
}

function dnsNames(): string[] {
  const host = hostname()
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host) && host !== 'localhost' ? ['localhost', host] : ['localhost']
}
