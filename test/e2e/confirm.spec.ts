// Asked first, in the app's own dialog (issue 26 item 7): disabling an
// account, resetting a password, a retention that deletes history, and
// deleting a message. The question says what will happen, Cancel has the
// focus, and Esc answers no without closing the dialog beneath.
import { conversationTitle, expect, messageRows, send, startDirectChat, test } from './fixtures'

test('the admin is asked before disabling, resetting a password or shortening the retention', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  await messenger.user('Bob')
  const page = alice.page
  await page.getByRole('button', { name: 'Server administration' }).click()
  const admin = page.getByRole('dialog', { name: 'Server administration' })
  const bobRow = admin.getByRole('listitem', { name: 'Bob' })

  // Disable: the question says what happens; Esc answers no and leaves the admin dialog open.
  const disable = bobRow.getByRole('button', { name: 'Disable' })
  await disable.click()
  const ask = page.getByRole('alertdialog', { name: 'Disable Bob?' })
  await expect(ask).toHaveAccessibleDescription('They are signed out on every device and cannot sign in until enabled again.')
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(ask).toBeHidden()
  await expect(admin).toBeVisible()
  await expect(disable).toBeFocused()
  await expect(bobRow).not.toContainText('disabled')
  // Enter on the focused Cancel is a no as well.
  await disable.click()
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(bobRow).not.toContainText('disabled')
  await disable.click()
  await ask.getByRole('button', { name: 'Disable' }).click()
  await expect(bobRow).toContainText('disabled')
  // Enabling again is not asked.
  await bobRow.getByRole('button', { name: 'Enable' }).click()
  await expect(bobRow).not.toContainText('disabled')

  // Reset password: Cancel makes no code; the action does.
  await bobRow.getByRole('button', { name: 'Reset password' }).click()
  const reset = page.getByRole('alertdialog', { name: 'Reset Bob’s password?' })
  await expect(reset).toContainText('signed out on every device')
  await reset.getByRole('button', { name: 'Cancel' }).click()
  await expect(admin.getByTestId('reset-code')).toHaveCount(0)
  await bobRow.getByRole('button', { name: 'Reset password' }).click()
  await reset.getByRole('button', { name: 'Reset password' }).click()
  await expect(admin.getByTestId('reset-code')).toHaveText(/^[0-9A-Z]{10}$/)

  // Retention: a new or shorter one deletes history, so it is asked; a longer one is not.
  await admin.getByRole('tab', { name: 'Server settings' }).click()
  const retention = admin.getByLabel('Delete messages older than (days; empty keeps everything)')
  await retention.fill('30')
  await admin.getByRole('button', { name: 'Save settings' }).click()
  const deletes = page.getByRole('alertdialog', { name: 'Delete messages older than 30 days?' })
  await expect(deletes).toContainText('cannot be brought back')
  await deletes.getByRole('button', { name: 'Cancel' }).click()
  await expect(admin.getByRole('status')).toHaveCount(0)
  expect((await alice.client.call('admin.settings')).retentionDays).toBeNull()
  await admin.getByRole('button', { name: 'Save settings' }).click()
  await deletes.getByRole('button', { name: 'Save and delete' }).click()
  await expect(admin.getByRole('status')).toHaveText('Saved.')
  expect((await alice.client.call('admin.settings')).retentionDays).toBe(30)
  await retention.fill('60')
  await admin.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('alertdialog')).toHaveCount(0)
  await expect(admin.getByRole('status')).toHaveText('Saved.')
  expect((await alice.client.call('admin.settings')).retentionDays).toBe(60)
})

test('deleting a message is asked in the app’s dialog, not the browser’s', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const page = alice.page
  // A browser confirm() would show here; it must not.
  page.on('dialog', (d) => void d.dismiss().then(() => expect(`browser ${d.type()}: ${d.message()}`).toBe('no browser dialog')))
  await startDirectChat(page, bob)
  await send(page, 'Wrong chat, sorry')
  const row = messageRows(page, 'Wrong chat, sorry')
  await row.hover()
  await row.getByRole('button', { name: 'More actions' }).click()
  await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Delete for everyone' }).click()
  const ask = page.getByRole('alertdialog', { name: 'Delete this message for everyone?' })
  await expect(ask).toContainText('removed from this conversation on every device')
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(ask).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(row.getByText('Wrong chat, sorry')).toBeVisible()

  await row.hover()
  await row.getByRole('button', { name: 'More actions' }).click()
  await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Delete for everyone' }).click()
  await ask.getByRole('button', { name: 'Delete' }).click()
  await expect(messageRows(page, 'Wrong chat, sorry')).toHaveCount(0)
  await bob.page.getByRole('option', { name: /^Alice\b/ }).click()
  await expect(bob.page.getByText('This message was deleted')).toBeVisible()
})
