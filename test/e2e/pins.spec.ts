// Issue 20: pinned messages as two people use them: a group's admin pins,
// a member sees the system message, the count, the pins list and the marker,
// and has no Pin item in the message menu; in a direct chat both people pin.
import type { Page } from '@playwright/test'
import { createGroup, expect, messageLog, messageMenuItem, messageRows, openConversation, openMessageMenu, send, sidebarRow, startDirectChat, test } from './fixtures'

const pinsButton = (page: Page) => page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: /^Pinned messages: / })

test('a group admin pins a message: a member sees the system message, the count, the list and the marker, and cannot pin', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Launch', ['Bob'])
  await openConversation(bob.page, 'Launch')
  await send(bob.page, 'We ship on Friday at noon')
  await send(bob.page, 'Lunch is at one')
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 0')

  await expect(messageRows(alice.page, 'We ship on Friday at noon')).toBeVisible()
  await messageMenuItem(alice.page, 'We ship on Friday at noon', 'Pin')

  await expect(messageLog(bob.page).getByText('Alice pinned a message')).toBeVisible()
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 1')
  await expect(messageRows(bob.page, 'We ship on Friday at noon').getByText('Pinned', { exact: true })).toBeVisible()
  await expect(messageRows(bob.page, 'Lunch is at one').getByText('Pinned', { exact: true })).toHaveCount(0)

  // Bob is a member, not an admin: no Pin in any message's menu; Save is there.
  const menu = await openMessageMenu(bob.page, 'Lunch is at one')
  await expect(menu.getByRole('menuitem', { name: 'Save', exact: true })).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: /^(Pin|Unpin)$/ })).toHaveCount(0)
  await bob.page.keyboard.press('Escape')
  await expect(menu).toBeHidden()

  await pinsButton(bob.page).click()
  const list = bob.page.getByRole('dialog', { name: 'Pinned messages' })
  const pin = list.getByRole('listitem').filter({ hasText: 'We ship on Friday at noon' })
  await expect(pin).toContainText('Bob')
  await expect(pin).toContainText('Pinned by Alice')
  await expect(list.getByRole('button', { name: 'Unpin' })).toHaveCount(0)
  await pin.getByRole('button', { name: /We ship on Friday at noon/ }).click()
  await expect(list).toBeHidden()
  await expect(messageRows(bob.page, 'We ship on Friday at noon').locator('.message.highlighted')).toBeVisible()

  // Alice unpins from her list: Bob's count and marker follow.
  await pinsButton(alice.page).click()
  const hers = alice.page.getByRole('dialog', { name: 'Pinned messages' })
  await hers.getByRole('listitem').filter({ hasText: 'We ship on Friday at noon' }).getByRole('button', { name: 'Unpin' }).click()
  await expect(hers.getByText('Nothing is pinned here yet.')).toBeVisible()
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 0')
  await expect(messageLog(bob.page).getByText('Alice unpinned a message')).toBeVisible()
  await expect(messageRows(bob.page, 'We ship on Friday at noon').getByText('Pinned', { exact: true })).toHaveCount(0)
})

test('in a direct chat both people pin and unpin', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'The door code is 4711')
  await expect(sidebarRow(bob.page, 'Alice')).toBeVisible()
  await openConversation(bob.page, 'Alice')

  await messageMenuItem(bob.page, 'The door code is 4711', 'Pin')
  await expect(pinsButton(alice.page)).toHaveAccessibleName('Pinned messages: 1')
  await expect(messageLog(alice.page).getByText('Bob pinned a message')).toBeVisible()

  await messageMenuItem(alice.page, 'The door code is 4711', 'Unpin')
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 0')
  await expect(messageLog(bob.page).getByText('Alice unpinned a message')).toBeVisible()
})
