import { createRequire } from 'node:module'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { silentLogger } from '../../../src/main/core/logger'
import { decideUpdatePolicy, policyFilePath, readPolicyText } from '../../../src/main/electron/update-policy'
import { startUpdateChecks, type UpdaterLike } from '../../../src/main/electron/updates'

const base = { env: {}, isPackaged: true, hasFeed: true, policyText: null }

test('updates are checked in a packaged build with a feed, unless a policy says no', () => {
  expect(decideUpdatePolicy(base)).toEqual({ enabled: true })
  expect(decideUpdatePolicy({ ...base, env: { MESSENGER_DISABLE_UPDATES: '1' } })).toEqual({ enabled: false, reason: 'MESSENGER_DISABLE_UPDATES is set' })
  expect(decideUpdatePolicy({ ...base, env: { MESSENGER_DISABLE_UPDATES: 'true' } }).enabled).toBe(false)
  expect(decideUpdatePolicy({ ...base, env: { MESSENGER_DISABLE_UPDATES: '0' } }).enabled).toBe(true)
  expect(decideUpdatePolicy({ ...base, policyText: '{"disableUpdates": true}' })).toEqual({ enabled: false, reason: 'turned off by the policy file' })
  expect(decideUpdatePolicy({ ...base, policyText: '{"disableUpdates": false}' }).enabled).toBe(true)
  expect(decideUpdatePolicy({ ...base, policyText: '{"disableUpdates": "yes"}' }).enabled).toBe(false)
  expect(decideUpdatePolicy({ ...base, policyText: 'garbage' }).enabled).toBe(false)
  expect(decideUpdatePolicy({ ...base, isPackaged: false })).toEqual({ enabled: false, reason: 'a development build' })
  expect(decideUpdatePolicy({ ...base, hasFeed: false })).toEqual({ enabled: false, reason: 'no update feed was set at build time' })
})

test('the policy file lives where administrators put machine-wide settings', async () => {
  expect(policyFilePath('win32', { ProgramData: 'D:\\PD' })).toBe(join('D:\\PD', 'LAN Messenger', 'policy.json'))
  expect(policyFilePath('darwin', {})).toBe('/Library/Application Support/LAN Messenger/policy.json')
  expect(policyFilePath('linux', {})).toBe('/etc/lan-messenger/policy.json')
  expect(policyFilePath('linux', { MESSENGER_POLICY_FILE: '/srv/p.json' })).toBe('/srv/p.json')
  const dir = await mkdtemp(join(tmpdir(), 'policy-'))
  try {
    expect(await readPolicyText(join(dir, 'none.json'))).toBeNull()
    await writeFile(join(dir, 'p.json'), '{"disableUpdates":true}')
    expect(await readPolicyText(join(dir, 'p.json'))).toBe('{"disableUpdates":true}')
    expect(decideUpdatePolicy({ ...base, policyText: await readPolicyText(dir) }).enabled).toBe(false)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

function fakeUpdater(): UpdaterLike & { checks: number } {
  return { autoDownload: false, autoInstallOnAppQuit: false, checks: 0, checkForUpdatesAndNotify() { this.checks++; return Promise.resolve(null) }, on: () => undefined }
}

test('checks start only when allowed; a failed check is logged, never thrown', async () => {
  const off = fakeUpdater()
  expect(startUpdateChecks(off, { enabled: false, reason: 'x' }, silentLogger)).toBeNull()
  expect(off.checks).toBe(0)
  const on = fakeUpdater()
  const checks = startUpdateChecks(on, { enabled: true }, silentLogger)!
  expect([on.checks, on.autoDownload, on.autoInstallOnAppQuit]).toEqual([1, true, true])
  checks.checkNow()
  expect(on.checks).toBe(2)
  checks.stop()
  const failing = { ...fakeUpdater(), checkForUpdatesAndNotify: () => Promise.reject(new Error('offline')) }
  startUpdateChecks(failing, { enabled: true }, silentLogger)?.stop()
  await Promise.resolve()
})

test('the notarize hook skips without Apple credentials and picks the API key over the Apple ID', () => {
  const { notarizeCredentials } = createRequire(import.meta.url)('../../../build/scripts/notarize.cjs')
  expect(notarizeCredentials({}).skip).toMatch(/no Apple credentials/)
  expect(notarizeCredentials({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p' }).skip).toBeTruthy()
  expect(notarizeCredentials({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' }).options).toEqual({ appleId: 'a', appleIdPassword: 'p', teamId: 't' })
  expect(notarizeCredentials({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't', APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 's' }).options).toEqual({ appleApiKey: 'k.p8', appleApiKeyId: 'i', appleApiIssuer: 's' })
})
