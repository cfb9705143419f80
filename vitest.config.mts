import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' }
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000
        }
      },
      {
        // Crash, network-fault, fuzz, authorization and token suites (docs/reliability.md);
        // RELIABILITY_SOAK=1 (npm run test:soak) makes them long.
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: process.env['RELIABILITY_SOAK'] === '1' ? 3_600_000 : 300_000,
          hookTimeout: 60_000
        }
      }
    ]
  }
})
