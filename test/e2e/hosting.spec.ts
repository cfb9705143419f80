// Hosting from the app, in the UI: the first person hosts the server from the
// first-run screen and signs in to it; a colleague joins with the invite link
// (trusted by its fingerprint); another types the address and is asked to
// compare the fingerprint; then the host stops it from Profile → Host a server.
import { TEST_HOSTING, freeTcpPort } from '../helpers/hosting'
import { PASSWORD, chooseServer, expect, expectOnline, test } from './fixtures'
import type { Page } from '@playwright/test'

async function createAccount(page: Page, username: string, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Your name (as others see it)').fill(name)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expectOnline(page)
}

test('host a server from the app, invite a colleague by link, and stop it', async ({ messenger }) => {
  const host = await messenger.user('Hana', { signUp: false, hosting: TEST_HOSTING })
  const { page } = host
  await page.getByRole('button', { name: 'Host a server on this computer' }).click()
  const panel = page.getByRole('region', { name: 'Host a server' })
  const port = await freeTcpPort()
  await panel.getByLabel('Server name').fill('Front office')
  await panel.getByLabel('Port').fill(String(port))
  await panel.getByRole('button', { name: 'Start hosting' }).click()
  await expect(panel.getByRole('status')).toContainText('Hosting Front office on port')
  const fingerprint = (await panel.getByLabel('Certificate fingerprint').getAttribute('data-fingerprint'))!
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  const link = await panel.getByLabel('Invite link').inputValue()
  expect(link).toBe(`messenger://join?server=${encodeURIComponent(`https://127.0.0.1:${port}`)}&fp=${fingerprint.replace(/:/g, '')}`)
  await expect(panel.getByRole('img', { name: 'QR code of the invite link' })).toBeVisible()

  // The host's own account: its own certificate is trusted without asking.
  await panel.getByRole('button', { name: 'Sign in to this server' }).click()
  await createAccount(page, 'hana', 'Hana')

  // A colleague pastes the invite link: no question about the certificate, the link vouched for it.
  const bob = await messenger.user('Bob', { signUp: false })
  await chooseServer(bob.page, link)
  // The address shows at once; the server's name joins it once server.info answers, so either form is this server.
  await expect(bob.page.getByText(new RegExp(`^Server: (LAN Messenger \\()?https://127\\.0\\.0\\.1:${port}\\)?$`))).toBeVisible()
  await createAccount(bob.page, 'bob', 'Bob')

  // Another types the address: asked to compare the fingerprint the host shows.
  const cleo = await messenger.user('Cleo', { signUp: false })
  await chooseServer(cleo.page, `127.0.0.1:${port}`)
  const trust = cleo.page.getByRole('region', { name: 'Trust this server' })
  await expect(trust.getByLabel('Certificate fingerprint')).toHaveAttribute('data-fingerprint', fingerprint)
  await trust.getByRole('button', { name: 'It matches: trust it' }).click()
  await createAccount(cleo.page, 'cleo', 'Cleo')

  // Profile → Host a server…: the same panel; stopping takes everyone offline.
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  await page.getByRole('button', { name: 'Host a server…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Host a server' })
  await dialog.getByRole('button', { name: 'Stop hosting' }).click()
  await expect(dialog.getByRole('button', { name: 'Start hosting' })).toBeVisible()
  await expect(bob.page.locator('[data-connection]')).toBeVisible()
})
