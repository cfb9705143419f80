// `npm run dev:web` (renderer with hot reload) and `npm run web` (built
// renderer): the product in a browser, driven by the same client core.
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ClientCore } from '../core/client'
import { installGlobalErrorHandlers } from '../core/global-errors'
import { createLogger } from '../core/logger'
import { forkLauncher } from '../core/hosting/launcher'
import { fileSecretStorage } from '../core/secret-store'
import { startWebHost, staticRenderer } from './host'
import { devRenderer } from './dev-renderer'

const { values } = parseArgs({
  options: {
    dev: { type: 'boolean', default: false },
    port: { type: 'string' },
    'user-data': { type: 'string' }
  }
})

function defaultUserData(): string {
  const name = 'lan-messenger-web'
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? homedir(), name)
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name)
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), name)
}

async function main(): Promise<void> {
  const log = createLogger('web-host')
  installGlobalErrorHandlers(log)
  const userDataDir = resolve(values['user-data'] ?? process.env['MESSENGER_USER_DATA'] ?? defaultUserData())
  const root = resolve(__dirname, '../../..')
  const core = await ClientCore.create({
    userDataDir,
    secrets: fileSecretStorage(join(userDataDir, 'secrets.json')),
    host: 'web',
    version: process.env['npm_package_version'] ?? '0.0.0',
    logger: log.child('core'),
    // This host runs under tsx, so the hosted server runs from its TypeScript source the same way.
    hosting: { launcher: forkLauncher({ entry: join(root, 'server', 'cli.ts'), execArgv: ['--import', 'tsx'], cwd: root }) }
  })
  await core.start()
  const host = await startWebHost({
    core,
    renderer: (server) => (values.dev ? devRenderer(root, server) : staticRenderer(join(root, 'out', 'renderer'))),
    ...(values.port ? { port: Number(values.port) } : {}),
    log
  })
  process.stdout.write(`\nLAN Messenger (web host) is running.\nOpen: ${host.url}\nData: ${userDataDir}\n\n`)
  const stop = (): void => {
    void (async () => {
      await host.close()
      await core.close()
      process.exit(0)
    })()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  process.stderr.write(`web host failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
