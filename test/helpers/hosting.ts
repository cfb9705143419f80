// Hosting options for tests: the real server CLI forked from its TypeScript
// source (as the Node host does), on 127.0.0.1 only, never advertising on the LAN.
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { HostingOptions } from '../../src/main/core/hosting/controller'
import { forkLauncher } from '../../src/main/core/hosting/launcher'

// __dirname: this helper loads under Playwright (CommonJS) as well as Vitest.
const ROOT = resolve(__dirname, '../..')

export const TEST_HOSTING: HostingOptions = {
  launcher: forkLauncher({ entry: resolve(ROOT, 'server/cli.ts'), execArgv: ['--import', 'tsx'], cwd: ROOT }),
  listenHost: '127.0.0.1',
  // Both, so neither the person's choice in the panel nor a change in the controller can make a test advertise.
  advertise: false,
  extraArgs: ['--no-discovery']
}

/** A TCP port free on 127.0.0.1 right now (for a UI that asks for a port number). */
export function freeTcpPort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}
