// Issue 20: saved messages follow the user to every device: Bob saves on one
// window, his other window (another app signed in as him) shows it in Saved,
// and a click there shows the message in its conversation.
import type { Page } from '@playwright/test'
import { chooseServer, createGroup, expect, expectOnline, messageMenuItem, messageRows, openConversation, openMessageMenu, PASSWORD, send, test } from './fixtures'

const savedList = (page: Page) => page.getByRole('dialog', { name: 'Saved messages' })

test('saved on one window, Bob finds it in Saved on his other one; a click shows it; removing it empties both', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Planning', ['Bob'])
  await send(alice.page, 'The budget sheet is in the shared folder')
  await send(alice.page, 'Something else entirely')

  await openConversation(bob.page, 'Planning')
  await messageMenuItem(bob.page, 'The budget sheet is in the shared folder', 'Save')
  await expect((await openMessageMenu(bob.page, 'The budget sheet is in the shared folder')).getByRole('menuitem', { name: 'Remove from saved' })).toBeVisible()
  await bob.page.keyboard.press('Escape')

  // Bob's second computer: the same account, signed in there.
  const laptop = await messenger.user('Bob (laptop)', { signUp: false, username: 'bob' })
  await chooseServer(laptop.page, messenger.serverUrl)
  await laptop.page.getByRole('tab', { name: 'Sign in' }).click()
  await laptop.page.getByLabel('Username').fill('bob')
  await laptop.page.getByLabel('Password').fill(PASSWORD)
  await laptop.page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expectOnline(laptop.page)

  await laptop.page.getByRole('button', { name: 'Saved messages' }).click()
  const item = savedList(laptop.page).getByRole('listitem').filter({ hasText: 'The budget sheet is in the shared folder' })
  await expect(item).toContainText('Alice · Planning')
  await item.getByRole('button', { name: /The budget sheet/ }).click()
  await expect(savedList(laptop.page)).toBeHidden()
  await expect(messageRows(laptop.page, 'The budget sheet is in the shared folder').locator('.message.highlighted')).toBeVisible()

  // Removed on the laptop: gone from the first window's list too.
  await laptop.page.getByRole('button', { name: 'Saved messages' }).click()
  await savedList(laptop.page).getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(savedList(laptop.page).getByText(/No saved messages/)).toBeVisible()
  await bob.page.getByRole('button', { name: 'Saved messages' }).click()
  await expect(savedList(bob.page).getByText(/No saved messages/)).toBeVisible()
})

test('the saved list is still there after the window reloads', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Planning', ['Bob'])
  await send(alice.page, 'Keep this one')
  await openConversation(bob.page, 'Planning')
  await messageMenuItem(bob.page, 'Keep this one', 'Save')
  await expect((await openMessageMenu(bob.page, 'Keep this one')).getByRole('menuitem', { name: 'Remove from saved' })).toBeVisible()
  await bob.page.keyboard.press('Escape')

  await bob.page.reload()
  await expectOnline(bob.page)
  await bob.page.getByRole('button', { name: 'Saved messages' }).click()
  await expect(savedList(bob.page).getByRole('listitem').filter({ hasText: 'Keep this one' })).toBeVisible()
})
