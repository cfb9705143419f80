// `npm run test:package`: builds the Linux dir and tar.gz targets with
// electron-builder against a stand-in Electron, and checks what they hold.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 600_000
  }
})
