// Server administration in the window: the first account (the admin) resets a
// colleague's password, and the colleague sets a new one with the code.
import type { Locator, Page } from '@playwright/test'
import { chooseServer, expect, expectOnline, PASSWORD, test } from './fixtures'

/** As the admin: sign-up set to invite-only in the admin dialog, and one new invite code made there. */
async function inviteOnlyWithCode(page: Page): Promise<{ dialog: Locator; invites: Locator; code: string }> {
  await page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('tab', { name: 'Server settings' }).click()
  await dialog.getByLabel('Who may create an account').selectOption('invite')
  await dialog.getByRole('button', { name: 'Save settings' }).click()
  await expect(dialog.getByRole('status')).toHaveText('Saved.')
  await dialog.getByRole('tab', { name: 'Invite codes' }).click()
  await dialog.getByRole('button', { name: 'New invite code' }).click()
  const invites = dialog.getByRole('list', { name: 'Invite codes' }).getByRole('listitem')
  await expect(invites).toHaveCount(1)
  return { dialog, invites, code: (await invites.first().getAttribute('aria-label')) ?? '' }
}

test('the admin resets a password in the admin dialog; the user sets a new one with the code', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  // Only the admin has the button.
  await expect(bob.page.getByRole('button', { name: 'Server administration' })).toHaveCount(0)

  await alice.page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Server administration' })
  const bobRow = dialog.getByRole('listitem', { name: 'Bob' })
  await expect(bobRow).toContainText('@bob')
  await expect(dialog.getByRole('listitem', { name: 'Alice' })).toContainText('admin')
  await bobRow.getByRole('button', { name: 'Reset password' }).click()
  await alice.page.getByRole('alertdialog', { name: 'Reset Bob’s password?' }).getByRole('button', { name: 'Reset password' }).click()
  const code = (await dialog.getByTestId('reset-code').textContent())?.trim() ?? ''
  expect(code).toMatch(/^[0-9A-Z]{10}$/)

  // Bob's app was signed out by the reset.
  const page = bob.page
  await expect(page.getByText('You were signed out on this computer')).toBeVisible()
  await chooseServer(page, messenger.serverUrl)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Forgot password?' }).click()
  await page.getByLabel('Username').fill('bob')
  await page.getByLabel('Reset code').fill('ABCDEFGHJK')
  await page.getByLabel('New password').fill('bobs new password')
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'reset code' })).toContainText('That reset code is wrong')

  await page.getByLabel('Reset code').fill(code.toLowerCase())
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expectOnline(page)

  // The old password no longer works; the new one does.
  const other = await messenger.user('Carol', { signUp: false })
  const login = (password: string) => other.client.core.http(messenger.serverUrl).request('POST', '/auth/login', { body: { username: 'bob', password } })
  await expect(login(PASSWORD)).rejects.toMatchObject({ code: 'invalid_credentials' })
  await expect(login('bobs new password')).resolves.toMatchObject({ user: { username: 'bob' } })
})

test('an invite-only server: sign-up asks for the admin’s invite code', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const { dialog, invites, code } = await inviteOnlyWithCode(alice.page)

  const dan = await messenger.user('Dan', { signUp: false })
  const page = dan.page
  await chooseServer(page, messenger.serverUrl)
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill('dan')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('alert')).toContainText('needs an invite code')
  await page.getByLabel('Invite code').fill(code)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  // Reopened, the admin sees the code used up.
  await dialog.getByRole('tab', { name: 'People' }).click()
  await dialog.getByRole('tab', { name: 'Invite codes' }).click()
  await expect(invites.first()).toContainText('used up')
})

test('an invite link with invite= opens Create account with the sign-up code filled in', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const { code } = await inviteOnlyWithCode(alice.page)

  const erin = await messenger.user('Erin', { signUp: false })
  const page = erin.page
  const link = `messenger://join?server=${encodeURIComponent(messenger.serverUrl)}&invite=${code}`
  erin.client.core.events.emit('open', { invite: link })
  await expect(page.getByLabel('Server address or invite link')).toHaveValue(link)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('tab', { name: 'Create account' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByLabel('Invite code')).toHaveValue(code)
  await page.getByLabel('Username').fill('erin')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expectOnline(page)
})

test('a disabled account is told so once, in one message, before and after trying to sign in', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  await alice.page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('listitem', { name: 'Bob' }).getByRole('button', { name: 'Disable' }).click()
  await alice.page.getByRole('alertdialog', { name: 'Disable Bob?' }).getByRole('button', { name: 'Disable' }).click()
  await expect(dialog.getByRole('listitem', { name: 'Bob' })).toContainText('disabled')

  const page = bob.page
  const alerts = page.getByRole('alert')
  await expect(alerts).toHaveText(['This account was disabled by the server admin, so this computer was signed out.'])
  await expect(page.getByText('You were signed out on this computer')).toHaveCount(0)

  // Trying again says it once more, alone.
  await chooseServer(page, messenger.serverUrl)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByLabel('Username').fill('bob')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(alerts.filter({ hasText: /\S/ })).toHaveText(['This account was disabled by the server admin.'])
})
