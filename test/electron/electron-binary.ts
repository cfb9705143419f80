// Where the Electron binary is, or why there is none: ELECTRON_OVERRIDE_DIST_PATH
// (a folder holding an unpacked Electron) or the one `npm install` downloaded.
// Resolved by hand, as the electron package does, because requiring that
// package starts a download when the binary is missing.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type ElectronBinary = { path: string } | { skip: string }

const EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe'
}

export function findElectronBinary(): ElectronBinary {
  const pkgDir = dirname(require.resolve('electron/package.json'))
  const pathFile = join(pkgDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  if (override) {
    const path = join(override, relative ?? EXECUTABLE[process.platform] ?? 'electron')
    return existsSync(path) ? { path } : { skip: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` }
  }
  if (!relative) return { skip: 'no Electron binary: it was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD or an offline install); run a normal `npm install` or set ELECTRON_OVERRIDE_DIST_PATH' }
  const path = join(pkgDir, 'dist', relative)
  return existsSync(path) ? { path } : { skip: `no Electron binary at ${path}; reinstall electron or set ELECTRON_OVERRIDE_DIST_PATH` }
}
