// A real server on a free loopback port with its own temp data directory; on
// the postgres engine (the -pg projects) also with a fresh database of its own.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessengerServer, silentLogger, type MessengerServer, type MessengerServerOptions } from '../../server'
import { databaseForDataDir, databaseText, dropDatabaseOfDataDir, runSql } from './engines'

export interface TestServer {
  url: string
  dataDir: string
  /** The server's PostgreSQL database on the postgres engine, else null. */
  databaseUrl: string | null
  /** The certificate's SHA-256 fingerprint with `tls: true`, else null. */
  fingerprint: string | null
  server: MessengerServer
  /** Stops the server; the data directory (and database) stay until `destroy`. */
  stop(): Promise<void>
  /** Stops the server and deletes its data directory and database. */
  destroy(): Promise<void>
}

/** Test servers use a lower scrypt cost so registering users stays fast; one unit test covers the default. */
export const TEST_SCRYPT_N = 2 ** 12

/**
 * Starts a server on `dataDir` (default: a new temp directory). On the
 * postgres engine the directory still holds the TLS certificate, the files'
 * bytes and the lock; its records go to the database the directory names in
 * its .test-database-url (a new one the first time), so a restart on the
 * same directory finds the same data.
 */
export async function startServer(
  options: Partial<MessengerServerOptions> = {},
  dataDir?: string
): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'messenger-test-')))
  // A test that names its engine (databaseUrl given, even undefined) gets just that.
  const databaseUrl = 'databaseUrl' in options ? (options.databaseUrl ?? null) : await databaseForDataDir(dir)
  const server = createMessengerServer({
    dataDir: dir,
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    scryptN: TEST_SCRYPT_N,
    // Tests seed history faster than any person types; the send limits' own tests set theirs.
    sendLimits: false,
    ...options,
    ...(databaseUrl ? { databaseUrl } : {})
  })
  const { port } = await server.listen()
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await server.close()
  }
  const fingerprint = server.identity()?.fingerprint ?? null
  return {
    url: `${fingerprint ? 'https' : 'http'}://127.0.0.1:${port}`,
    dataDir: dir,
    databaseUrl,
    fingerprint,
    server,
    stop,
    destroy: async () => {
      await stop()
      await dropDatabaseOfDataDir(dir)
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/**
 * What the server keeps at rest besides its files: the text of db.json on the
 * data-dir engine, every row of its database on the postgres engine (to check
 * that a secret or deleted text is not there).
 */
export async function recordsAtRest(srv: TestServer): Promise<string> {
  if (srv.databaseUrl) return databaseText(srv.databaseUrl)
  return readFile(join(srv.dataDir, 'db.json'), 'utf8')
}

/**
 * The key the server signs access tokens with (tests forge tokens with it):
 * kept in its database on PostgreSQL, in the data directory's jwt.key otherwise.
 */
export async function tokenKey(srv: Pick<TestServer, 'dataDir' | 'databaseUrl'>): Promise<Uint8Array> {
  const text = srv.databaseUrl
    ? ((await runSql<{ value: string }>(srv.databaseUrl, "SELECT value FROM server_secrets WHERE name = 'jwt-key'"))[0]?.value ?? '')
    : await readFile(join(srv.dataDir, 'jwt.key'), 'utf8')
  return Buffer.from(text.trim(), 'base64url')
}

/** Deletes the server's self-signed certificate (it makes a new one at its next start): from its database on PostgreSQL, else tls/. */
export async function deleteCertificate(srv: Pick<TestServer, 'dataDir' | 'databaseUrl'>): Promise<void> {
  if (srv.databaseUrl) await runSql(srv.databaseUrl, "DELETE FROM server_secrets WHERE name = 'tls-certificate'")
  await rm(join(srv.dataDir, 'tls'), { recursive: true, force: true })
}

/** The PEM of the server's self-signed certificate: in its database on PostgreSQL, else tls/cert.pem. */
export async function certificatePem(srv: Pick<TestServer, 'dataDir' | 'databaseUrl'>): Promise<string> {
  if (!srv.databaseUrl) return readFile(join(srv.dataDir, 'tls', 'cert.pem'), 'utf8')
  const [row] = await runSql<{ value: string }>(srv.databaseUrl, "SELECT value FROM server_secrets WHERE name = 'tls-certificate'")
  return (JSON.parse(row?.value ?? '{}') as { cert: string }).cert
}
