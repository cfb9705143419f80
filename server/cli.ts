#!/usr/bin/env node
// messenger-server: run the LAN messenger server standalone.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseByteSize } from './files/byte-size'
import { createLogger } from './logger'
import { createMessengerServer } from './server'
import { SERVER_VERSION } from './version'

const HELP = `messenger-server ${SERVER_VERSION}

Usage: messenger-server [--port 7450] [--host 0.0.0.0] [--data-dir ./data] [--log-level info]
                        [--max-file-size 2GiB] [--user-quota 20GiB]

  --port       TCP port for HTTP and Socket.IO (env MESSENGER_PORT; default 7450)
  --host       address to listen on (env MESSENGER_HOST; default 0.0.0.0: every interface)
  --data-dir   where accounts and history are kept (env MESSENGER_DATA_DIR; default ./data)
  --log-level  fatal, error, warn, info, debug or trace (default info)
  --max-file-size  largest file accepted, e.g. 500MB or 2GiB (env MESSENGER_MAX_FILE_SIZE; default 2GiB)
  --user-quota     bytes of files one user may keep (env MESSENGER_USER_QUOTA; default 20GiB)
  --version    print the version
  --help       print this text
`

function fail(message: string): never {
  process.stderr.write(`messenger-server: ${message}\n\n${HELP}`)
  process.exit(2)
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        'max-file-size': { type: 'string' },
        'user-quota': { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean' }
      }
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) return void process.stdout.write(HELP)
  if (values.version) return void process.stdout.write(`${SERVER_VERSION}\n`)

  const port = Number(values.port ?? process.env['MESSENGER_PORT'] ?? 7450)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535`)
  const level = values['log-level'] ?? process.env['MESSENGER_LOG_LEVEL'] ?? 'info'
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) fail(`unknown --log-level ${level}`)
  const log = createLogger({ level, pretty: process.stdout.isTTY })
  const dataDir = resolve(values['data-dir'] ?? process.env['MESSENGER_DATA_DIR'] ?? './data')
  const host = values.host ?? process.env['MESSENGER_HOST'] ?? '0.0.0.0'

  const size = (flag: string, env: string): number | undefined => {
    const text = values[flag as 'max-file-size' | 'user-quota'] ?? process.env[env]
    if (text === undefined) return undefined
    return parseByteSize(text) ?? fail(`--${flag} must be a size such as 500MB or 2GiB`)
  }
  const maxFileBytes = size('max-file-size', 'MESSENGER_MAX_FILE_SIZE')
  const userQuotaBytes = size('user-quota', 'MESSENGER_USER_QUOTA')

  const server = createMessengerServer({
    dataDir,
    port,
    host,
    logger: log,
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    ...(userQuotaBytes !== undefined ? { userQuotaBytes } : {})
  })
  try {
    await server.listen()
  } catch (err) {
    log.fatal({ err }, (err as Error).message)
    await server.close()
    process.exit(1)
  }

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn('second signal: exiting at once')
      process.exit(1)
    }
    stopping = true
    log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

void main()
