import pino, { type DestinationStream, type Logger } from 'pino'

export type { Logger }

export interface LoggerOptions {
  level?: string
  /** Human-readable lines (for a terminal) when pino-pretty is installed; JSON lines otherwise. */
  pretty?: boolean
  /** Where lines go; stdout by default (tests give a memory stream). */
  destination?: DestinationStream
}

/**
 * Secrets under these keys are replaced wherever a log call passes them (a
 * request's headers inside an error, a body by mistake). Request lines never
 * carry headers or bodies in the first place (http/request-log.ts): this is
 * the second fence.
 */
export const REDACTED_PATHS = [
  'password', '*.password', 'newPassword', '*.newPassword', 'currentPassword', '*.currentPassword',
  'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'authorization', '*.authorization', '*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]',
  'headers.authorization', 'headers.cookie', 'headers["set-cookie"]'
]

/** JSON lines, one per event (what services and log shippers read). */
export function createLogger({ level = 'info', destination }: Omit<LoggerOptions, 'pretty'> = {}): Logger {
  return destination ? pino(pinoOptions(level), destination) : pino(pinoOptions(level))
}

const pinoOptions = (level: string): pino.LoggerOptions => ({ level, base: { name: 'messenger-server' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } })

type PrettyFactory = (options: { colorize: boolean; sync: boolean; destination?: DestinationStream }) => DestinationStream

/** pino-pretty is a development dependency: packaged builds and production installs do not have it. */
const importPretty = async (): Promise<PrettyFactory> => ((await import('pino-pretty')) as unknown as { default: PrettyFactory }).default

/**
 * The CLI's logger: pretty lines when asked for and pino-pretty is there,
 * else JSON lines, with a warning that says why.
 */
export async function openLogger(options: LoggerOptions = {}, loadPretty: () => Promise<PrettyFactory> = importPretty): Promise<Logger> {
  if (!options.pretty) return createLogger(options)
  let pretty: PrettyFactory
  try {
    pretty = await loadPretty()
  } catch (err) {
    const log = createLogger(options)
    log.warn({ reason: (err as Error).message }, 'pino-pretty is not installed (a development dependency): logging JSON lines')
    return log
  }
  const { level = 'info', destination } = options
  const stream = pretty({ colorize: !destination, sync: true, ...(destination ? { destination } : {}) })
  return pino(pinoOptions(level), stream)
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
