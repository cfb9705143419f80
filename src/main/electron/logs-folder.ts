// Help > Show Logs: the folder of main.log and server.log in the file manager,
// where people find them to attach to a bug report.
import type { Shell } from 'electron'
import type { Logger } from '../core/logger'

export function logsFolderOpener(shell: Pick<Shell, 'openPath'>, logsDir: string, log: Logger): () => void {
  return () =>
    void shell.openPath(logsDir).then((error) => {
      // openPath answers with an error message rather than rejecting.
      if (error) log.warn('could not open the logs folder', { logsDir, error })
    })
}
