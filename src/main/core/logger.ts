// A small named logger for the main process: one line per event on stderr,
// `[time] LEVEL name: message {fields}`. Debug lines only with MESSENGER_DEBUG=1.
export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(name: string): Logger
}

export type LogSink = (line: string) => void

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`)
}

export function createLogger(name: string, sink: LogSink = stderrSink, debug = process.env['MESSENGER_DEBUG'] === '1'): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>): void => {
    if (level === 'debug' && !debug) return
    const extra = fields && Object.keys(fields).length ? ` ${safeJson(fields)}` : ''
    sink(`[${new Date().toISOString()}] ${level.toUpperCase()} ${name}: ${message}${extra}`)
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (sub) => createLogger(`${name}:${sub}`, sink, debug)
  }
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = createLogger('silent', () => undefined)

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v))
  } catch {
    return '[unserializable]'
  }
}
