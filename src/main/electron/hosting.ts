// The desktop app's launcher for the hosted server: an Electron
// utilityProcess running the built server CLI (out/server/cli.mjs), so the
// server never shares the UI's process. The hosting controller
// (src/main/core/hosting) does the rest, the same as in the Node host.
import { utilityProcess } from 'electron'
import { lines, type ServerLauncher } from '../core/hosting/launcher'

export function utilityProcessLauncher(entry: string): ServerLauncher {
  return {
    launch(args, onLog) {
      const child = utilityProcess.fork(entry, args, { stdio: 'pipe', serviceName: 'LAN Messenger server', env: { ...process.env, FORCE_COLOR: '0' } })
      lines(child.stdout, (line) => onLog(line, 'stdout'))
      lines(child.stderr, (line) => onLog(line, 'stderr'))
      return {
        get pid() {
          return child.pid
        },
        onMessage: (listener) => child.on('message', listener),
        onExit: (listener) => child.once('exit', (code) => listener(code)),
        send: (message) => child.postMessage(message),
        kill: () => void child.kill()
      }
    }
  }
}
