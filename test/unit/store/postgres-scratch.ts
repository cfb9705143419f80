// A scratch database per test file for the PostgreSQL engine's unit tests:
// created from MESSENGER_TEST_DATABASE_URL (whose role needs CREATEDB) and
// dropped when the file ends. Without the variable the suites skip.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_DATABASE_URL = process.env['MESSENGER_TEST_DATABASE_URL'] ?? ''

/** Appended to a suite's name when it is skipped, so the run says why. */
export const SKIP_NOTE = TEST_DATABASE_URL ? '' : ' (skipped: set MESSENGER_TEST_DATABASE_URL=postgres://… to run)'

export interface ScratchDatabase {
  url: string
  name: string
  drop(): Promise<void>
}

export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `pgtest_${prefix}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    }
  }
}
