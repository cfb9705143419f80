#!/usr/bin/env node
// messenger-server: run the LAN messenger server standalone.
import './threadpool'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { FormatTooNewError } from '../src/node/format-version'
import { runUsersCommand, USERS_HELP } from './admin-cli'
import { runBackupCommand, runRestoreCommand } from './backup/backup-cli'
import { runImportCommand, runMigrateCommand } from './db-cli'
import { parseAdvertiseAddress } from './discovery/advertise-address'
import { parseByteSize } from './files/byte-size'
import { openLogger } from './logger'
import { metricsTokenProblem } from './metrics/metrics-route'
import { isStopCommand, parentChannel } from './parent-channel'
import { parseIceServers } from './realtime/calls/ice-servers'
import { createMessengerServer } from './server'
import { scaledSendLimits } from './services/send-limits'
import { SERVER_VERSION } from './version'

const HELP = `messenger-server ${SERVER_VERSION}

Usage: messenger-server [--port 7450] [--host 0.0.0.0] [--data-dir ./data] [--database-url postgres://…] [--name NAME]
                        [--redis-url redis://…] [--files-dir DIR] [--tls-cert FILE --tls-key FILE] [--advertise-address ADDR]
                        [--no-tls] [--no-discovery] [--log-level info] [--max-connections-per-address 256]
                        [--smtp-url URL --smtp-from ADDRESS] [--max-file-size 2GiB] [--user-quota 20GiB]
                        [--upload-expiry-hours 24] [--presence-expiry-seconds 15] [--send-limits 1]
                        [--sockets-per-session 5] [--sockets-per-user 30] [--metrics-token TOKEN]
                        [--ice-servers JSON] [--call-ring-ms 45000] [--call-rejoin-grace-ms 15000]
       messenger-server users list|disable|enable|make-admin|revoke-admin|reset-password [username]
       messenger-server migrate --database-url postgres://…     (see messenger-server migrate --help)
       messenger-server import --from DATA_DIR --database-url postgres://…     (see messenger-server import --help)
       messenger-server backup --data-dir DIR --to BACKUP_DIR     (online; see messenger-server backup --help)
       messenger-server restore --from BACKUP_DIR --data-dir NEW_DIR     (see messenger-server restore --help)

  --port          TCP port for HTTPS (or HTTP) and Socket.IO (env MESSENGER_PORT; default 7450)
  --host          address to listen on (env MESSENGER_HOST; default 0.0.0.0: every interface)
  --data-dir      where accounts, history, files and the TLS certificate are kept (env MESSENGER_DATA_DIR; default ./data)
  --database-url  keep accounts, conversations and history in PostgreSQL instead, e.g.
                  postgres://messenger:secret@db.lan:5432/messenger (env MESSENGER_DATABASE_URL); the
                  certificate and the token signing key are kept there too (the first start moves the data
                  directory's); the data directory still holds files' bytes. See docs/scaling.md
  --redis-url     with --database-url: several servers (nodes) serve one organisation, exchanging events,
                  presence and limits through this Redis 7, e.g. redis://redis.lan:6379 (env MESSENGER_REDIS_URL)
  --files-dir     where files' bytes are kept (env MESSENGER_FILES_DIR; default DATA_DIR/files); with several
                  nodes, one directory they all mount
  --tls-cert, --tls-key
                  PEM files of the certificate (chain) and private key to serve (env MESSENGER_TLS_CERT,
                  MESSENGER_TLS_KEY); without them a self-signed certificate is made once and kept (in the
                  database with --database-url, so every node serves the same one)
  --advertise-address
                  the address mDNS tells clients to use instead of this computer's, e.g. the load balancer's:
                  an IP address or host name with an optional :port, 10.0.0.5:7450 (env MESSENGER_ADVERTISE_ADDRESS)
  --name          the name clients see in discovery (env MESSENGER_NAME; default this computer's host name)
  --no-tls        serve plain HTTP, e.g. behind a reverse proxy that does TLS (env MESSENGER_TLS=0)
  --no-discovery  do not advertise on the LAN over mDNS (env MESSENGER_DISCOVERY=0)
  --max-connections-per-address
                  connections one client address may hold at once; more are closed (env
                  MESSENGER_MAX_CONNECTIONS_PER_ADDRESS; default 256). Behind a reverse proxy or load balancer
                  every client has its address: raise it, or 0 turns it off, and bound clients at the proxy
  --log-level     fatal, error, warn, info, debug or trace (default info)
  --smtp-url      email password reset codes through this SMTP server, e.g. smtp://user:pass@mail.lan:587
                  (env MESSENGER_SMTP_URL; without it admins hand reset codes over)
  --smtp-from     the From: address of those emails (env MESSENGER_SMTP_FROM)
  --max-file-size largest file accepted, e.g. 500MB or 2GiB (env MESSENGER_MAX_FILE_SIZE; default 2GiB)
  --user-quota    bytes of files one user may keep (env MESSENGER_USER_QUOTA; default 20GiB)
  --upload-expiry-hours
                  an unfinished upload that received no byte for this long is deleted
                  (env MESSENGER_UPLOAD_EXPIRY_HOURS; default 24)
  --presence-expiry-seconds
                  with --redis-url: a node silent this long counts as dead and its users show offline; nodes
                  beat every third of it, so users of a node that died show offline at most 4/3 of it later
                  (env MESSENGER_PRESENCE_EXPIRY_SECONDS; default 15, so 20 s)
  --send-limits   each user's budgets for messages, edits, reactions and new uploads (docs/server.md, Limits)
                  times this factor, e.g. 2 for an office of bots and scripts, or off (env MESSENGER_SEND_LIMITS;
                  default 1)
  --sockets-per-session, --sockets-per-user
                  connections (sockets) one sign-in, and one user over all their devices, may keep open at
                  once; more are refused (env MESSENGER_SOCKETS_PER_SESSION, MESSENGER_SOCKETS_PER_USER;
                  default 5 and 30)
  --metrics-token serve Prometheus metrics at GET /metrics to Authorization: Bearer TOKEN, a secret of at least
                  16 characters, e.g. from openssl rand -hex 32 (env MESSENGER_METRICS_TOKEN; default: no
                  metrics, /metrics is 404). Each node serves its own. See docs/admin.md, Metrics
  --ice-servers   STUN/TURN servers for calls between subnets or over a VPN, handed to every window that joins a
                  call: a JSON array of RTCIceServer, e.g. '[{"urls":"turn:turn.example.lan:3478","username":"u",
                  "credential":"p"}]' (env MESSENGER_ICE_SERVERS; default none: one LAN needs none). See docs/hosting.md
  --call-ring-ms, --call-rejoin-grace-ms
                  a call rings this long before it is missed, and a window whose connection dropped has this long to
                  rejoin before it has left the call (env MESSENGER_CALL_RING_MS, MESSENGER_CALL_REJOIN_GRACE_MS;
                  default 45000 and 15000)
  --version       print the version
  --help          print this text

Exit status: 0 stopped cleanly; 1 could not start (or stop); 2 bad options; 3 the data directory or database
was written by a newer messenger-server (nothing was changed: upgrade the server).

${USERS_HELP}`

function fail(message: string): never {
  process.stderr.write(`messenger-server: ${message}\n\n${HELP}`)
  process.exit(2)
}

async function main(): Promise<void> {
  // Subcommands, each with its own options and help.
  const subcommands = { users: runUsersCommand, migrate: runMigrateCommand, import: runImportCommand, backup: runBackupCommand, restore: runRestoreCommand }
  const subcommand = Object.hasOwn(subcommands, process.argv[2] ?? '') ? subcommands[process.argv[2] as keyof typeof subcommands] : null
  if (subcommand) {
    const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) }
    process.exitCode = await subcommand(process.argv.slice(3), io)
    return
  }
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'redis-url': { type: 'string' },
        'files-dir': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'advertise-address': { type: 'string' },
        'log-level': { type: 'string' },
        'smtp-url': { type: 'string' },
        'smtp-from': { type: 'string' },
        name: { type: 'string' },
        'no-tls': { type: 'boolean' },
        'no-discovery': { type: 'boolean' },
        'max-connections-per-address': { type: 'string' },
        'max-file-size': { type: 'string' },
        'user-quota': { type: 'string' },
        'upload-expiry-hours': { type: 'string' },
        'presence-expiry-seconds': { type: 'string' },
        'send-limits': { type: 'string' },
        'sockets-per-session': { type: 'string' },
        'sockets-per-user': { type: 'string' },
        'metrics-token': { type: 'string' },
        'ice-servers': { type: 'string' },
        'call-ring-ms': { type: 'string' },
        'call-rejoin-grace-ms': { type: 'string' },
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
  const log = await openLogger({ level, pretty: process.stdout.isTTY })
  const dataDir = resolve(values['data-dir'] ?? process.env['MESSENGER_DATA_DIR'] ?? './data')
  const databaseUrl = values['database-url'] ?? process.env['MESSENGER_DATABASE_URL']
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) fail('--database-url must start with postgres:// or postgresql://')
  const redisUrl = values['redis-url'] ?? process.env['MESSENGER_REDIS_URL']
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) fail('--redis-url must start with redis:// or rediss://')
  if (redisUrl !== undefined && databaseUrl === undefined) fail('--redis-url joins servers that share one database: give --database-url too')
  const filesDirText = values['files-dir'] ?? process.env['MESSENGER_FILES_DIR']
  const filesDir = filesDirText === undefined ? undefined : resolve(filesDirText)
  const tlsCertFile = values['tls-cert'] ?? process.env['MESSENGER_TLS_CERT']
  const tlsKeyFile = values['tls-key'] ?? process.env['MESSENGER_TLS_KEY']
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) fail('--tls-cert and --tls-key go together')
  const advertiseAddress = values['advertise-address'] ?? process.env['MESSENGER_ADVERTISE_ADDRESS']
  if (advertiseAddress !== undefined && !parseAdvertiseAddress(advertiseAddress)) fail('--advertise-address must be an IP address or host name, with an optional :port')
  const host = values.host ?? process.env['MESSENGER_HOST'] ?? '0.0.0.0'
  const tls = !values['no-tls'] && process.env['MESSENGER_TLS'] !== '0'
  if (!tls && tlsCertFile !== undefined) fail('--tls-cert and --tls-key serve HTTPS: drop --no-tls (or MESSENGER_TLS=0)')
  const discovery = !values['no-discovery'] && process.env['MESSENGER_DISCOVERY'] !== '0'
  const connectionsText = values['max-connections-per-address'] ?? process.env['MESSENGER_MAX_CONNECTIONS_PER_ADDRESS']
  const maxConnectionsPerAddress = connectionsText === undefined ? undefined : Number(connectionsText)
  if (maxConnectionsPerAddress !== undefined && !(/^\d{1,7}$/.test(connectionsText ?? '') && maxConnectionsPerAddress <= 1_000_000)) {
    fail('--max-connections-per-address must be a whole number from 0 (no bound) to 1000000')
  }
  const name = (values.name ?? process.env['MESSENGER_NAME'])?.trim()
  if (name !== undefined && (name.length === 0 || name.length > 60)) fail('--name must be 1 to 60 characters')

  const smtpUrl = values['smtp-url'] ?? process.env['MESSENGER_SMTP_URL']
  const smtpFrom = values['smtp-from'] ?? process.env['MESSENGER_SMTP_FROM']
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) fail('--smtp-url must start with smtp:// or smtps://')
  if (smtpUrl && !smtpFrom) fail('--smtp-from is needed with --smtp-url')
  const smtp = smtpUrl && smtpFrom ? { url: smtpUrl, from: smtpFrom } : undefined

  const size = (flag: string, env: string): number | undefined => {
    const text = values[flag as 'max-file-size' | 'user-quota'] ?? process.env[env]
    if (text === undefined) return undefined
    return parseByteSize(text) ?? fail(`--${flag} must be a size such as 500MB or 2GiB`)
  }
  const maxFileBytes = size('max-file-size', 'MESSENGER_MAX_FILE_SIZE')
  const userQuotaBytes = size('user-quota', 'MESSENGER_USER_QUOTA')
  const expiryText = values['upload-expiry-hours'] ?? process.env['MESSENGER_UPLOAD_EXPIRY_HOURS']
  const expiryHours = expiryText === undefined ? undefined : Number(expiryText)
  if (expiryHours !== undefined && !(expiryHours > 0 && expiryHours <= 24 * 365)) fail('--upload-expiry-hours must be a number of hours above 0, at most a year')

  const presenceText = values['presence-expiry-seconds'] ?? process.env['MESSENGER_PRESENCE_EXPIRY_SECONDS']
  const presenceExpiry = presenceText === undefined ? undefined : Number(presenceText)
  if (presenceExpiry !== undefined && !(presenceExpiry >= 1 && presenceExpiry <= 3600)) fail('--presence-expiry-seconds must be a number of seconds from 1 to 3600')

  const sendLimitsText = values['send-limits'] ?? process.env['MESSENGER_SEND_LIMITS']
  const sendFactor = sendLimitsText === undefined || sendLimitsText === 'off' ? undefined : Number(sendLimitsText)
  if (sendFactor !== undefined && !(sendFactor > 0 && sendFactor <= 1000)) fail('--send-limits must be off or a factor above 0, at most 1000')
  const sendLimits = sendLimitsText === 'off' ? false : sendFactor === undefined ? undefined : scaledSendLimits(sendFactor)

  const socketCap = (flag: 'sockets-per-session' | 'sockets-per-user', env: string): number | undefined => {
    const text = values[flag] ?? process.env[env]
    if (text === undefined) return undefined
    const n = Number(text)
    return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : fail(`--${flag} must be a whole number from 1 to 10000`)
  }
  const socketsPerSession = socketCap('sockets-per-session', 'MESSENGER_SOCKETS_PER_SESSION')
  const socketsPerUser = socketCap('sockets-per-user', 'MESSENGER_SOCKETS_PER_USER')

  const metricsToken = values['metrics-token'] ?? process.env['MESSENGER_METRICS_TOKEN']
  const metricsProblem = metricsToken === undefined ? null : metricsTokenProblem(metricsToken)
  if (metricsProblem) fail(`--metrics-token: ${metricsProblem}`)

  const iceText = values['ice-servers'] ?? process.env['MESSENGER_ICE_SERVERS']
  const iceServers = iceText === undefined ? undefined : parseIceServers(iceText)
  if (typeof iceServers === 'string') fail(`--ice-servers: ${iceServers}`)
  const callMs = (flag: 'call-ring-ms' | 'call-rejoin-grace-ms', env: string): number | undefined => {
    const text = values[flag] ?? process.env[env]
    if (text === undefined) return undefined
    const n = Number(text)
    return Number.isInteger(n) && n >= 100 && n <= 3_600_000 ? n : fail(`--${flag} must be a whole number of milliseconds from 100 to 3600000`)
  }
  const callRingMs = callMs('call-ring-ms', 'MESSENGER_CALL_RING_MS')
  const callRejoinGraceMs = callMs('call-rejoin-grace-ms', 'MESSENGER_CALL_REJOIN_GRACE_MS')

  const parent = parentChannel()
  const server = createMessengerServer({
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(filesDir ? { filesDir } : {}),
    ...(tlsCertFile && tlsKeyFile ? { tlsCertFile: resolve(tlsCertFile), tlsKeyFile: resolve(tlsKeyFile) } : {}),
    ...(advertiseAddress ? { advertiseAddress } : {}),
    port,
    host,
    logger: log,
    tls,
    advertise: discovery,
    ...(maxConnectionsPerAddress !== undefined ? { maxConnectionsPerAddress } : {}),
    smtp,
    ...(name ? { name } : {}),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    ...(userQuotaBytes !== undefined ? { userQuotaBytes } : {}),
    ...(expiryHours !== undefined ? { unfinishedUploadTtlMs: expiryHours * 3600_000 } : {}),
    ...(presenceExpiry !== undefined ? { presenceExpiryMs: presenceExpiry * 1000 } : {}),
    ...(sendLimits !== undefined ? { sendLimits } : {}),
    ...(socketsPerSession !== undefined ? { socketsPerSession } : {}),
    ...(socketsPerUser !== undefined ? { socketsPerUser } : {}),
    ...(metricsToken !== undefined ? { metricsToken } : {}),
    ...(iceServers !== undefined ? { iceServers } : {}),
    ...(callRingMs !== undefined ? { callRingMs } : {}),
    ...(callRejoinGraceMs !== undefined ? { callRejoinGraceMs } : {})
  })
  try {
    const address = await server.listen()
    parent?.send({ type: 'listening', port: address.port, host: address.address, ...server.identity()! })
  } catch (err) {
    log.fatal({ err }, (err as Error).message)
    parent?.send({ type: 'failed', message: (err as Error).message })
    await server.close()
    // 3: written by a newer server; a service manager should not restart into the same refusal.
    process.exit(err instanceof FormatTooNewError ? 3 : 1)
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
  // The app asks its hosted server to stop this way (an Electron utilityProcess gets no signals from it).
  parent?.onMessage((message) => {
    if (isStopCommand(message)) stop('parent')
  })
  parent?.onGone(() => {
    if (!stopping) stop('parent gone')
  })
}

void main()
