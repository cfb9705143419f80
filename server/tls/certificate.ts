// The server's own TLS certificate: self-signed, made on first start and kept
// in the data directory (tls/), or in the database where several nodes share
// one (PostgreSQL), so its fingerprint stays the same across restarts and
// nodes, and clients that pinned it keep trusting it. Deleting it makes a new
// one, which every client that pinned the old one refuses.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { mkdirDurable, writeFileAtomic } from '../../src/node/fsync'
import { pemFingerprint } from '../../src/node/certificate'
import type { Logger } from '../logger'
import type { SecretRepo } from '../store/types'

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
  const existing = await dataDirCertificate(dataDir)
  if (existing) return { ...existing, created: false }
  const dir = certificateDir(dataDir)
  const made = await makeCertificate()
  await mkdirDurable(dir)
  // The key first: a cert without its key would be read back as a broken pair.
  await writeFileAtomic(join(dir, 'key.pem'), made.key, 0o600)
  await writeFileAtomic(join(dir, 'cert.pem'), made.cert, 0o644)
  return { ...made, created: true }
}

/** Name of the certificate (and its key, as JSON) among the store's shared secrets. */
export const CERTIFICATE_SECRET = 'tls-certificate'

/**
 * The one self-signed certificate of every node on a shared store: made once
 * by the first node to start. A data directory that already had one (a
 * server moving to PostgreSQL) gives it, so clients that pinned it keep
 * trusting the server.
 */
export async function loadSharedCertificate(dataDir: string, secrets: SecretRepo, log: Logger): Promise<ServerCertificate> {
  let moved = false
  const { value, created } = await secrets.getOrCreate(CERTIFICATE_SECRET, async () => {
    const existing = await dataDirCertificate(dataDir)
    moved = existing !== null
    return certificateSecret(existing ?? (await makeCertificate()))
  })
  const { cert, key } = JSON.parse(value) as { cert: string; key: string }
  const fingerprint = pemFingerprint(cert)
  if (created) log.info({ fingerprint }, moved ? "moved the data directory's TLS certificate (tls/) into the database" : 'made a new TLS certificate')
  return { cert, key, fingerprint }
}

/** How a certificate and its key are kept among the shared secrets. */
export const certificateSecret = ({ cert, key }: Pick<ServerCertificate, 'cert' | 'key'>): string => JSON.stringify({ cert, key })

/** The data directory's certificate (tls/), or null when it has none. */
export async function dataDirCertificate(dataDir: string): Promise<ServerCertificate | null> {
  const dir = certificateDir(dataDir)
  try {
    const [cert, key] = await Promise.all([readFile(join(dir, 'cert.pem'), 'utf8'), readFile(join(dir, 'key.pem'), 'utf8')])
    return { cert, key, fingerprint: pemFingerprint(cert) }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    return null
  }
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
