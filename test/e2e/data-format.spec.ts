// The app opened on an account's data that a newer version wrote (the user
// went back to an older app): the window opens and says, in words, why that
// account stays closed, at start and when signing in to it again.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { silentLogger } from '../../src/main/core/logger'
import { startWebHost, staticRenderer } from '../../src/main/web/host'
import { PASSWORD, startClient } from '../helpers/client'
import { chooseServer, expect, test } from './fixtures'

const RENDERER_DIR = join(__dirname, '../../out/renderer')
const WORDS = 'This account’s data on this computer was saved by a newer version of LAN Messenger. Update the app to open it.'

test('an account whose cache a newer app wrote: the window says so instead of failing to start', async ({ messenger, browser }) => {
  const alice = await messenger.user('Alice')
  const state = await alice.client.call('session.get')
  if (state.status !== 'signed_in') throw new Error('Alice is not signed in')
  await alice.quit()
  const meta = join(alice.client.userDataDir, 'accounts', state.account.id, 'cache', 'meta.json')
  const data = JSON.parse(await readFile(meta, 'utf8')) as { schema: number }
  await writeFile(meta, JSON.stringify({ ...data, schema: data.schema + 1 }))

  // The same user-data directory in the app again.
  const client = await startClient(alice.client.userDataDir)
  const host = await startWebHost({ core: client.core, renderer: () => staticRenderer(RENDERER_DIR), log: silentLogger })
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(host.url)
    await expect(page.getByRole('alert')).toHaveText(WORDS)

    await chooseServer(page, messenger.serverUrl)
    await page.getByRole('tab', { name: 'Sign in' }).click()
    await page.getByLabel('Username').fill(alice.username)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByRole('alert')).toHaveText(WORDS)
    await expect(page.getByRole('button', { name: 'New chat' })).toHaveCount(0)
  } finally {
    await context.close()
    await host.close()
    await client.close()
  }
})
