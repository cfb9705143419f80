// Start at login: the OS login items on macOS and Windows, an XDG autostart
// entry on Linux. Started that way the app opens hidden, in the tray.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { App } from 'electron'

export const HIDDEN_ARG = '--hidden'

/** The autostart entry: the AppImage when run from one (its path is stable; the mount is not). */
export function linuxAutostartEntry(execPath: string, appImage: string | undefined): string {
  const exec = (appImage ?? execPath).replace(/(["`$\\])/g, '\\$1')
  return ['[Desktop Entry]', 'Type=Application', 'Name=LAN Messenger', `Exec="${exec}" ${HIDDEN_ARG}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n')
}

export function linuxAutostartPath(env: NodeJS.ProcessEnv, home: string): string {
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'autostart', 'lan-messenger.desktop')
}

export async function setStartAtLogin(
  app: Pick<App, 'setLoginItemSettings'>,
  enabled: boolean,
  system: { platform: NodeJS.Platform; execPath: string; env: NodeJS.ProcessEnv; home: string }
): Promise<void> {
  if (system.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] })
    return
  }
  const path = linuxAutostartPath(system.env, system.home)
  if (!enabled) {
    await rm(path, { force: true })
    return
  }
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, linuxAutostartEntry(system.execPath, system.env['APPIMAGE']), { mode: 0o644 })
}
