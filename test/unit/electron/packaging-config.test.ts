// electron-builder.yml and the release workflow say what the issue asks;
// `npm run test:package` then builds for real (Linux) and checks the result.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { parse } from 'yaml'

const root = join(__dirname, '../../..')
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))
const targets = (platform: string) => (config[platform].target as { target: string; arch: string[] }[]).map((t) => `${t.target}:${t.arch.join('+')}`)

test('targets: nsis (per-user or per-machine) and portable; dmg and zip for x64 and arm64; AppImage, deb, rpm, tar.gz', () => {
  expect(targets('win')).toEqual(['nsis:x64', 'portable:x64'])
  expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true })
  expect(targets('mac')).toEqual(['dmg:x64+arm64', 'zip:x64+arm64'])
  expect(targets('linux')).toEqual(['AppImage:x64', 'deb:x64', 'rpm:x64', 'tar.gz:x64'])
})

test('identity, the messenger:// scheme, no file associations, icons from build/', () => {
  expect(config).toMatchObject({ appId: 'lan.messenger.desktop', productName: 'LAN Messenger', fileAssociations: [] })
  expect(config.protocols).toEqual([{ name: 'LAN Messenger invite link', schemes: ['messenger'] }])
  for (const icon of [config.win.icon, config.mac.icon, 'build/icon.png', 'build/icons/512x512.png', 'build/tray.png', 'build/tray-unread.png', 'build/overlay.png']) expect(existsSync(join(root, icon)), icon).toBe(true)
})

test('macOS: hardened runtime with our entitlements, notarized by the afterSign hook', () => {
  expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', notarize: false })
  const plist = readFileSync(join(root, config.mac.entitlements), 'utf8')
  expect(plist).toContain('com.apple.security.cs.allow-jit')
  expect(plist).not.toContain('disable-library-validation')
  expect(existsSync(join(root, config.afterSign))).toBe(true)
})

test('macOS: calls may ask for the microphone and camera, and a ringing call’s notification has buttons', () => {
  const plist = readFileSync(join(root, config.mac.entitlements), 'utf8')
  expect(plist).toContain('com.apple.security.device.audio-input')
  expect(plist).toContain('com.apple.security.device.camera')
  expect(config.mac.extendInfo).toMatchObject({ NSMicrophoneUsageDescription: expect.any(String), NSCameraUsageDescription: expect.any(String), NSUserNotificationAlertStyle: 'alert' })
})

test('the app holds the built server for embedded hosting, and no update feed unless one is given at build time', () => {
  expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'out/server/**', '!**/*.map']))
  expect(config.publish).toBeNull()
})

test('the release workflow builds on the three systems, tests, packages and uploads the installers', () => {
  const workflow = parse(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'))
  const job = workflow.jobs.build
  expect(job.strategy.matrix.os).toEqual(['windows-latest', 'macos-latest', 'ubuntu-latest'])
  const runs = (job.steps as { run?: string; uses?: string }[]).map((s) => s.run ?? s.uses ?? '')
  const at = (needle: string) => runs.findIndex((r) => r.includes(needle))
  expect(at('npm ci')).toBeGreaterThanOrEqual(0)
  expect(at('npm test')).toBeGreaterThan(at('npm ci'))
  expect(at('npm run package')).toBeGreaterThan(at('npm test'))
  expect(at('actions/upload-artifact')).toBeGreaterThan(at('npm run package'))
})
