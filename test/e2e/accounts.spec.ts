// Issue 26 item 10: several accounts and servers in one window. Alice works
// at the front office and at the branch (a second server): she adds the
// second account through the first-run screen, switches with the account
// rail and the keyboard, sees the background account's unread badge rise,
// and signs out of one, then the other.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { readSecrets } from '../helpers/client'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { chooseServer, expect, expectOnline, messageRows, openConversation, PASSWORD, send, sidebarRow, signUpInUi, startDirectChat, test as base, type User } from './fixtures'

/** A second server, the branch office, with its own data; gone after the test. */
const test = base.extend<{ branch: TestServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture uses from this pattern
  branch: async ({}, use) => {
    const server = await startServer({ name: 'Branch office' })
    try {
      await use(server)
    } finally {
      await server.destroy()
    }
  }
})

const rail = (page: Page) => page.getByRole('navigation', { name: 'Accounts' })
/** The switcher's button of one account, by the start of its name ("Alice on …"), with or without an unread count. */
const railButton = (page: Page, who: string) => rail(page).getByRole('button', { name: new RegExp(`^${who} on `) })

/** Profile → Add account… → the first-run steps on another server → back in the window. */
async function addAccount(page: Page, serverUrl: string, username: string, displayName: string): Promise<void> {
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  await page.getByRole('dialog', { name: 'Profile' }).getByRole('button', { name: 'Add account…' }).click()
  await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible()
  await signUpInUi(page, serverUrl, username, displayName)
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  const profile = page.getByRole('dialog', { name: 'Profile' })
  await profile.getByRole('button', { name: 'Sign out' }).click()
  await profile.getByRole('button', { name: 'Yes, sign out' }).click()
}

/** No serious or critical axe-core violation on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

/** Someone on the branch server, with their own app. */
async function branchUser(messenger: Parameters<Parameters<typeof test>[2]>[0]['messenger'], branch: TestServer, name: string): Promise<User> {
  const user = await messenger.user(name, { signUp: false })
  await chooseServer(user.page, branch.url)
  await user.page.getByRole('tab', { name: 'Create account' }).click()
  await user.page.getByLabel('Username').fill(user.username)
  await user.page.getByLabel('Your name (as others see it)').fill(name)
  await user.page.getByLabel('Password').fill(PASSWORD)
  await user.page.getByRole('button', { name: 'Create account' }).click()
  await expectOnline(user.page)
  await expect(user.page.getByRole('button', { name: 'New chat' })).toBeVisible()
  return user
}

test('a second account: added through the first-run screen, switched with the rail and the keys, its unread badge rises in the background', async ({ messenger, branch }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await branchUser(messenger, branch, 'Carol')
  // One account: no rail yet.
  await expect(rail(alice.page)).toHaveCount(0)

  await addAccount(alice.page, branch.url, 'alice', 'Alice at Branch')
  await expect(railButton(alice.page, 'Alice at Branch')).toHaveAttribute('aria-current', 'true')
  await expect(railButton(alice.page, 'Alice at Branch')).toHaveAttribute('title', 'Alice at Branch on Branch office (Ctrl+Alt+2)')
  await expect(railButton(alice.page, 'Alice')).not.toHaveAttribute('aria-current', 'true')

  // Bob writes to the front-office account while Alice looks at the branch: its badge rises.
  await startDirectChat(bob.page, alice)
  await send(bob.page, 'Lunch at noon?')
  await expect(railButton(alice.page, 'Alice')).toHaveAccessibleName(/^Alice on .+, 1 unread$/)
  await expect(sidebarRow(alice.page, 'Bob')).toHaveCount(0)

  // The rail shows the front office: Bob's chat, unread, and no badge on the shown account.
  await railButton(alice.page, 'Alice').click()
  await expect(sidebarRow(alice.page, 'Bob')).toHaveAccessibleName('Bob, 1 unread')
  await expect(railButton(alice.page, 'Alice')).toHaveAttribute('aria-current', 'true')
  await expect(railButton(alice.page, 'Alice')).toHaveAccessibleName(/^Alice on [^,]+$/)

  // Carol writes to the branch account, now in the background.
  await startDirectChat(carol.page, { ...alice, name: 'Alice at Branch' })
  await send(carol.page, 'The branch says hi')
  await expect(railButton(alice.page, 'Alice at Branch')).toHaveAccessibleName('Alice at Branch on Branch office, 1 unread')
  await expectAccessible(alice.page)

  // The keyboard: Ctrl+Alt+2 is the second account in the rail (the browser keeps Ctrl+2 for its tabs), Ctrl+Alt+1 the first.
  await alice.page.keyboard.press('Control+Alt+2')
  await expect(sidebarRow(alice.page, 'Carol')).toHaveAccessibleName('Carol, 1 unread')
  await expect(railButton(alice.page, 'Alice at Branch')).toHaveAttribute('aria-current', 'true')
  await expect(sidebarRow(alice.page, 'Bob')).toHaveCount(0)
  await alice.page.keyboard.press('Control+Alt+1')
  await expect(sidebarRow(alice.page, 'Bob')).toBeVisible()
  await expect(sidebarRow(alice.page, 'Carol')).toHaveCount(0)
  await expectOnline(alice.page)
})

test('signing out of one account leaves the other signed in; signing out of the last offers the servers used', async ({ messenger, branch }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Before the branch')
  await addAccount(alice.page, branch.url, 'alice', 'Alice at Branch')

  // Signing out of the branch account shows the front office again, still signed in and connected.
  await signOut(alice.page)
  await expect(sidebarRow(alice.page, 'Bob')).toBeVisible()
  await expect(rail(alice.page)).toHaveCount(0)
  await expectOnline(alice.page)
  await openConversation(alice.page, 'Bob')
  await send(alice.page, 'Still here')
  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, 'Still here')).toBeVisible()

  // Signing out of the last one: the first-run screen, offering both servers.
  await signOut(alice.page)
  await expect(alice.page.getByLabel('Server address or invite link')).toBeVisible()
  const used = alice.page.getByRole('list', { name: 'Servers you used' })
  await expect(used.getByRole('button')).toHaveCount(2)
  await expect(used.getByRole('button').first()).toContainText('Branch office')
  await expect(used.getByRole('button').nth(1)).toContainText(new URL(messenger.serverUrl).host)
  await expectAccessible(alice.page)
  // Picking one goes on to signing in there.
  await used.getByRole('button', { name: /Branch office/ }).click()
  await expect(alice.page.getByRole('heading', { name: /Branch office/ })).toBeVisible()
})

test('an account signed out by the server shows so in the rail, and a click signs in to it again', async ({ messenger, branch }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(bob.page, alice)
  await send(bob.page, 'Are you back?')
  await addAccount(alice.page, branch.url, 'alice', 'Alice at Branch')

  // The front-office sign-in ends on the server (signed out on another device with the same sign-in).
  const state = await alice.client.call('session.get')
  const front = state.accounts.find((a) => a.serverUrl === messenger.serverUrl)!
  const refreshToken = (await readSecrets(alice.client.userDataDir))[`refresh:${front.id}`]
  expect((await api(messenger.serverUrl, 'POST', '/auth/logout', { body: { refreshToken } })).status).toBe(204)
  await expect(railButton(alice.page, 'Alice')).toHaveAccessibleName(/^Alice on .+, signed out$/)
  // The branch stays shown and connected.
  await expect(railButton(alice.page, 'Alice at Branch')).toHaveAttribute('aria-current', 'true')
  await expectOnline(alice.page)

  await railButton(alice.page, 'Alice').click()
  await expect(alice.page.getByRole('heading', { name: 'Add an account' })).toBeVisible()
  await expect(alice.page.getByLabel('Server address or invite link')).toHaveValue(messenger.serverUrl)
  await alice.page.getByRole('button', { name: 'Continue' }).click()
  await expect(alice.page.getByLabel('Username')).toHaveValue('alice')
  await alice.page.getByLabel('Password').fill(PASSWORD)
  await alice.page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(sidebarRow(alice.page, 'Bob')).toBeVisible()
  await expect(railButton(alice.page, 'Alice')).toHaveAccessibleName(/^Alice on [^,]+$/)
  await expect(railButton(alice.page, 'Alice at Branch')).toBeVisible()
})
