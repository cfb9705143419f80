// A scratch database per test file for the PostgreSQL engine's unit tests,
// from test/helpers/engines.ts (MESSENGER_TEST_DATABASE_URL, a role with
// CREATEDB), dropped when the file ends. Without the variable the suites skip.
import { freshDatabase, type FreshDatabase } from '../../helpers/engines'

export const TEST_DATABASE_URL = process.env['MESSENGER_TEST_DATABASE_URL'] ?? ''

/** Appended to a suite's name when it is skipped, so the run says why. */
export const SKIP_NOTE = TEST_DATABASE_URL ? '' : ' (skipped: set MESSENGER_TEST_DATABASE_URL=postgres://… to run)'

export type ScratchDatabase = FreshDatabase

export function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  return freshDatabase(`unit test ${prefix}`)
}
