import { spawnSync } from 'node:child_process'
import { defineConfig } from 'vitest/config'

const integration = {
  include: ['test/integration/**/*.test.ts'],
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 30_000
}

// Crash, network-fault, fuzz, authorization and token suites (docs/reliability.md);
// RELIABILITY_SOAK=1 (npm run test:soak) makes them long.
const reliability = {
  include: ['test/reliability/**/*.test.ts'],
  environment: 'node',
  testTimeout: process.env['RELIABILITY_SOAK'] === '1' ? 3_600_000 : 300_000,
  hookTimeout: 60_000
}

/** Matches no test name: every test is skipped, and with them the hooks of their files. */
const NO_TEST = /(?!)/

// postgresPlan() in test/helpers/engines.ts decides the same; it is not
// imported here because a TypeScript module imported by the config makes Vite
// warn on every run.
const postgresSkipped = !process.env['MESSENGER_TEST_DATABASE_URL'] && process.env['CI'] !== 'true'

/**
 * The same suites on the PostgreSQL engine: every server a test starts gets a
 * fresh database (test/helpers/engines.ts). The global setup checks the
 * server once before any file runs: it fails the run under CI=true without
 * MESSENGER_TEST_DATABASE_URL, or when the server cannot be reached; without
 * the variable elsewhere it prints one line saying how to enable the runs,
 * and every test of these projects is skipped (no hook runs, nothing fails).
 */
const onPostgres = {
  env: { MESSENGER_TEST_ENGINE: 'postgres' },
  globalSetup: ['test/helpers/postgres-global-setup.ts'],
  setupFiles: ['test/helpers/postgres-setup.ts'],
  ...(postgresSkipped ? { testNamePattern: NO_TEST } : {})
}

// Several server processes on one PostgreSQL database and a private Redis
// (test/helpers/cluster.ts): they need both; skipped with a note elsewhere, required under CI.
const clusterSkipped =
  process.env['CI'] !== 'true' && (!process.env['MESSENGER_TEST_DATABASE_URL'] || spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
if (clusterSkipped) process.stderr.write('multi-node runs skipped: they need redis-server installed and MESSENGER_TEST_DATABASE_URL set\n')

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Two files at a time even on two cores (Vitest's default is cores - 1):
    // most suites wait on sockets, fsync and child servers, not the CPU.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' }
      },
      { test: { name: 'integration', ...integration } },
      { test: { name: 'reliability', ...reliability } },
      { test: { name: 'integration-pg', ...integration, ...onPostgres } },
      { test: { name: 'reliability-pg', ...reliability, ...onPostgres } },
      {
        test: {
          name: 'multinode',
          include: ['test/multinode/**/*.test.ts'],
          // After every other project, one file at a time: each file runs three
          // server processes (up to ~100 database connections), which beside the
          // PostgreSQL suites on two cores would only starve each other.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
          setupFiles: ['test/helpers/postgres-setup.ts'],
          ...(clusterSkipped ? { testNamePattern: NO_TEST } : {})
        }
      },
      {
        // One repository suite run against every engine (its PostgreSQL half follows the same rules).
        test: { name: 'conformance', include: ['test/conformance/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 }
      }
    ]
  }
})
