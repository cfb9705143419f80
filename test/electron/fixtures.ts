// The desktop app itself, launched with Playwright's _electron: the built app
// (out/) on the real Electron binary, with its own temp profile, against a
// real server. Everything is torn down after each test.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test'
import { PASSWORD, startClient, type TestClient } from '../helpers/client'
import { signUpInUi } from '../e2e/fixtures'
import { startServer, type TestServer } from '../helpers/server'
import { findElectronBinary } from './electron-binary'

export { expect } from '@playwright/test'

const ROOT = join(__dirname, '../..')
export const binary = findElectronBinary()
if ('skip' in binary) process.stdout.write(`\nElectron suite skipped: ${binary.skip}\n\n`)

export interface DesktopApp {
  app: ElectronApplication
  page: Page
  server: TestServer
}

export const test = base.extend<{ desktop: DesktopApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern
  desktop: async ({}, use) => {
    if ('skip' in binary) throw new Error(binary.skip)
    const server = await startServer()
    const profile = await mkdtemp(join(tmpdir(), 'messenger-electron-'))
    const app = await _electron.launch({
      executablePath: binary.path,
      // A fake camera and microphone for calls (the app's own permission handler still decides; no prompt is faked).
      args: ['--use-fake-device-for-media-stream', ROOT],
      // No keyring on a CI machine: Chromium's basic store, and our own profile.
      env: { ...process.env, MESSENGER_USER_DATA: profile, MESSENGER_DISABLE_UPDATES: '1', ELECTRON_RENDERER_URL: '' }
    })
    try {
      const page = await app.firstWindow()
      await use({ app, page, server })
    } finally {
      await app.close().catch(() => undefined)
      await server.destroy()
      await rm(profile, { recursive: true, force: true })
    }
  }
})

/**
 * Alice signs up in the app's window; Bob, a client core without a window,
 * signs up and opens a direct chat with her. The caller destroys `bob`.
 */
export async function aliceAndBob(desktop: DesktopApp): Promise<{ bob: TestClient; chatId: string }> {
  await signUpInUi(desktop.page, desktop.server.url, 'alice', 'Alice')
  const bob = await startClient()
  try {
    await bob.call('session.register', { serverUrl: desktop.server.url, username: 'bob', password: PASSWORD, displayName: 'Bob' })
    const alice = (await bob.call('users.search', { query: 'alice' }))[0]!
    const opened = await bob.call('conversations.openDirect', { userId: alice.id })
    if (!('conversation' in opened)) throw new Error('no direct chat')
    return { bob, chatId: opened.conversation.id }
  } catch (err) {
    await bob.destroy()
    throw err
  }
}

test.skip('skip' in binary, 'skip' in binary ? binary.skip : '')
