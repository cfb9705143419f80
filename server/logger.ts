import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'

export type { Logger }

export interface LoggerOptions {
  level?: string
  /** Human-readable lines (for a terminal); JSON lines otherwise. */
  pretty?: boolean
}

export function createLogger({ level = 'info', pretty: human = false }: LoggerOptions = {}): Logger {
  const options = { level, base: { name: 'messenger-server' } }
  return human ? pino(options, pretty({ colorize: true, sync: true })) : pino(options)
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
