// `npm run test:electron`: the desktop app on a real Electron binary
// (test/electron). Where none exists the suite skips and prints why.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'test/electron',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  timeout: 90_000,
  expect: { timeout: 15_000 }
})
