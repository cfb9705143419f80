// A small named logger for the main process. Each event goes to sinks: text
// lines on stderr (`[time] LEVEL name: message {fields}`) for a terminal, and
// JSON lines in pino's shape for the log files (log-files.ts), so one tool
// (pino-pretty, jq) reads the app's and its hosted server's logs alike.
// Debug lines only with MESSENGER_DEBUG=1.
export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(name: string): Logger
}

export interface LogRecord {
  time: Date
  level: Level
  name: string
  msg: string
  fields?: Record<string, unknown> | undefined
}

export type LogSink = (record: LogRecord) => void

/** Text lines (stderr by default): what a developer reads in a terminal. */
export function textLines(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): LogSink {
  return ({ time, level, name, msg, fields }) => {
    const extra = fields && Object.keys(fields).length ? ` ${safeJson(fields)}` : ''
    write(`[${time.toISOString()}] ${level.toUpperCase()} ${name}: ${msg}${extra}`)
  }
}

/** pino's numbers, so pino-pretty reads these lines as it reads the server's. */
const PINO_LEVEL: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 }

/** JSON lines in pino's shape (level, time, name, msg, then the fields): what the log files hold. */
export function jsonLines(write: (line: string) => void): LogSink {
  return ({ time, level, name, msg, fields }) => {
    const record: Record<string, unknown> = { level: PINO_LEVEL[level], time: time.getTime(), name, msg }
    for (const [key, value] of Object.entries(fields ?? {})) if (!(key in record)) record[key] = value
    write(safeJson(record))
  }
}

export function createLogger(name: string, sink: LogSink | LogSink[] = textLines(), debug = process.env['MESSENGER_DEBUG'] === '1'): Logger {
  const sinks = Array.isArray(sink) ? sink : [sink]
  const write = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (level === 'debug' && !debug) return
    const record = { time: new Date(), level, name, msg, fields }
    for (const s of sinks) s(record)
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (sub) => createLogger(`${name}:${sub}`, sinks, debug)
  }
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = createLogger('silent', () => undefined)

/**
 * Values under these keys never reach a log, whatever a call passes (a
 * request body, an IPC payload): tokens, passwords, cookies, codes.
 */
const SECRET_KEYS = new Set(
  ['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'secret', 'joinCode', 'inviteCode', 'resetCode'].map((k) =>
    k.toLowerCase()
  )
)

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (key, v: unknown) => {
      if (SECRET_KEYS.has(key.toLowerCase()) && v !== undefined && v !== null) return '[redacted]'
      return v instanceof Error ? { name: v.name, message: v.message } : v
    })
  } catch {
    return '[unserializable]'
  }
}
