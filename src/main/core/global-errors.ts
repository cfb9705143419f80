// The one place that catches what nothing else caught: log it and tell the
// user, instead of dying silently (main) or with a stack trace (Node host).
import type { Logger } from './logger'

export function installGlobalErrorHandlers(log: Logger, tellUser: (message: string) => void = () => undefined): void {
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { err, stack: err.stack })
    tellUser(`Something went wrong: ${err.message}`)
  })
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { err: reason, stack: reason instanceof Error ? reason.stack : undefined })
  })
}
