// Update checks with electron-updater against the generic feed set at build
// time, when the policy allows: at start and every six hours, downloading in
// the background and installing on quit (the OS notification says so).
import type { Logger } from '../core/logger'
import type { UpdatePolicy } from './update-policy'

export const CHECK_EVERY_MS = 6 * 60 * 60_000

export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkForUpdatesAndNotify(): Promise<unknown>
  on(event: 'error', listener: (err: Error) => void): unknown
}

export interface UpdateChecks {
  checkNow(): void
  stop(): void
}

export function startUpdateChecks(updater: UpdaterLike, policy: UpdatePolicy, log: Logger, everyMs = CHECK_EVERY_MS): UpdateChecks | null {
  if (!policy.enabled) {
    log.info('update checks are off', { reason: policy.reason })
    return null
  }
  updater.autoDownload = true
  updater.autoInstallOnAppQuit = true
  updater.on('error', (err) => log.warn('update check failed', { err: err.message }))
  const checkNow = (): void => {
    updater.checkForUpdatesAndNotify().catch((err: unknown) => log.warn('update check failed', { err: String(err) }))
  }
  checkNow()
  const timer = setInterval(checkNow, everyMs)
  timer.unref()
  return { checkNow, stop: () => clearInterval(timer) }
}
