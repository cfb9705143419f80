// Hosting from the app, in the UI: the first person hosts the server from the
// first-run screen and signs in to it; a colleague joins with the invite link
// (trusted by its fingerprint); another types the address and is asked to
// compare the fingerprint; then the host stops it from Profile → Host a server.
import { TEST_HOSTING, freeTcpPort } from '../helpers/hosting'
import { parseServerInput } from '../../src/shared/invite'
import type { HostingInterface } from '../../src/shared/schemas/hosting'
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
  // Written as the server log and /health write it (56:DD:A5:…), not regrouped.
  await expect(panel.getByLabel('Certificate fingerprint')).toHaveText(fingerprint)
  const link = await panel.getByLabel('Invite link').inputValue()
  expect(link).toBe(`messenger://join?server=${encodeURIComponent(`https://127.0.0.1:${port}`)}&fp=${fingerprint.replace(/:/g, '')}`)
  await expect(panel.getByRole('img', { name: 'QR code of the invite link' })).toBeVisible()

  // The host's own account: its own certificate is trusted without asking.
  await panel.getByRole('button', { name: 'Sign in to this server' }).click()
  await createAccount(page, 'hana', 'Hana')

  // A colleague pastes the invite link: no question about the certificate, the link vouched for it.
  const bob = await messenger.user('Bob', { signUp: false })
  await chooseServer(bob.page, link)
  // The server's own name, as its host gave it, on the account step too (not the default "LAN Messenger").
  await expect(bob.page.getByRole('heading', { name: 'Create your account on Front office' })).toBeVisible()
  await expect(bob.page.getByText(`Address: https://127.0.0.1:${port}`)).toBeVisible()
  await createAccount(bob.page, 'bob', 'Bob')

  // Another types the address: asked to compare the fingerprint the host shows.
  const cleo = await messenger.user('Cleo', { signUp: false })
  await chooseServer(cleo.page, `127.0.0.1:${port}`)
  const trust = cleo.page.getByRole('region', { name: 'Trust this server' })
  await expect(trust).toContainText('connects to Front office')
  await expect(trust.getByLabel('Certificate fingerprint')).toHaveAttribute('data-fingerprint', fingerprint)
  await expect(trust.getByLabel('Certificate fingerprint')).toHaveText(fingerprint)
  await trust.getByRole('button', { name: 'It matches: trust it' }).click()
  await cleo.page.getByRole('tab', { name: 'Sign in' }).click()
  await expect(cleo.page.getByRole('heading', { name: 'Sign in to Front office' })).toBeVisible()
  await createAccount(cleo.page, 'cleo', 'Cleo')

  // Profile → Host a server…: the same panel; stopping takes everyone offline.
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  await page.getByRole('button', { name: 'Host a server…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Host a server' })
  await dialog.getByRole('button', { name: 'Stop hosting' }).click()
  await expect(dialog.getByRole('button', { name: 'Start hosting' })).toBeVisible()
  await expect(bob.page.locator('[data-connection]')).toBeVisible()
})

test('choose where the hosted server listens and whether it is advertised; a change while it runs applies on restart', async ({ messenger }) => {
  // Made-up interfaces to choose from; the test's overrides still bind 127.0.0.1 and never advertise.
  const interfaces = (): HostingInterface[] => [
    { name: 'office0', address: '192.0.2.10', family: 'IPv4' },
    { name: 'office0', address: '2001:db8::10', family: 'IPv6' }
  ]
  const host = await messenger.user('Hana', { signUp: false, hosting: { ...TEST_HOSTING, interfaces } })
  const { page } = host
  await page.getByRole('button', { name: 'Host a server on this computer' }).click()
  const panel = page.getByRole('region', { name: 'Host a server' })
  const where = panel.getByRole('group', { name: 'Where it listens' })
  const advertise = where.getByRole('checkbox', { name: /Advertise it on the LAN/ })
  // The default: every interface, advertised.
  await expect(where.getByRole('radio', { name: 'Every network interface (the LAN)' })).toBeChecked()
  await expect(advertise).toBeChecked()

  // One interface: this computer's addresses by interface name.
  await where.getByRole('radio', { name: 'One network interface' }).click()
  const picker = where.getByRole('combobox', { name: 'Network interface' })
  await expect(picker.getByRole('option')).toHaveText(['office0: 192.0.2.10', 'office0: 2001:db8::10'])
  await picker.selectOption('2001:db8::10')
  await expect(picker).toHaveValue('2001:db8::10')
  await advertise.click()
  await expect(advertise).not.toBeChecked()

  // This computer only: nothing to advertise.
  await where.getByRole('radio', { name: 'This computer only (127.0.0.1)' }).click()
  await expect(advertise).toBeDisabled()
  await expect(where).toContainText('Only this computer can connect, so it is not advertised.')

  const port = await freeTcpPort()
  await panel.getByLabel('Port').fill(String(port))
  await panel.getByRole('button', { name: 'Start hosting' }).click()
  await expect(panel.getByRole('status')).toContainText('on port')
  await expect(panel).toContainText('It listens on this computer only: colleagues cannot connect to it.')
  await expect(panel.locator('.hosting-urls')).toHaveText(`https://127.0.0.1:${port}`)
  expect(parseServerInput(await panel.getByLabel('Invite link').inputValue()).server).toBe(`https://127.0.0.1:${port}`)

  // A change while it runs is kept, and applies when it restarts.
  await where.getByRole('radio', { name: 'Every network interface (the LAN)' }).click()
  await expect(where.getByRole('note')).toContainText('It runs with the earlier choice until it restarts.')
  await where.getByRole('button', { name: 'Restart to apply' }).click()
  await expect(where.getByRole('note')).toHaveCount(0)
  await expect(panel.getByRole('status')).toContainText(`on port ${port}`)
  await expect(where.getByRole('radio', { name: 'Every network interface (the LAN)' })).toBeChecked()
  // The advertise choice was kept through all this (off); the server itself was never advertised here.
  await expect(advertise).not.toBeChecked()
  await expect(panel).toContainText('It listens on this computer only')
  await panel.getByRole('button', { name: 'Stop hosting' }).click()
  await expect(panel.getByRole('button', { name: 'Start hosting' })).toBeVisible()
})
