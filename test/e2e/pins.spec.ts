// Issue 20: pinned messages as two people use them: a group's admin pins,
// a member sees the system message, the count, the pins list and the marker,
// and has no Pin button; in a direct chat both people pin.
import type { Page } from '@playwright/test'
import { createGroup, expect, messageLog, messageRows, openConversation, send, sidebarRow, startDirectChat, test } from './fixtures'

const pinsButton = (page: Page) => page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: /^Pinned messages: / })

/** The hover buttons of the message with this text. */
async function hoverButtons(page: Page, text: string) {
  const row = messageRows(page, text).last()
  await row.hover()
  return row.locator('.message-actions')
}

test('a group admin pins a message: a member sees the system message, the count, the list and the marker, and cannot pin', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Launch', ['Bob'])
  await openConversation(bob.page, 'Launch')
  await send(bob.page, 'We ship on Friday at noon')
  await send(bob.page, 'Lunch is at one')
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 0')

  await expect(messageRows(alice.page, 'We ship on Friday at noon')).toBeVisible()
  await (await hoverButtons(alice.page, 'We ship on Friday at noon')).getByRole('button', { name: 'Pin', exact: true }).click()

  await expect(messageLog(bob.page).getByText('Alice pinned a message')).toBeVisible()
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 1')
  await expect(messageRows(bob.page, 'We ship on Friday at noon').getByText('Pinned', { exact: true })).toBeVisible()
  await expect(messageRows(bob.page, 'Lunch is at one').getByText('Pinned', { exact: true })).toHaveCount(0)

  // Bob is a member, not an admin: no Pin button on any message; Save is there.
  const buttons = await hoverButtons(bob.page, 'Lunch is at one')
  await expect(buttons.getByRole('button', { name: 'Save', exact: true })).toBeVisible()
  await expect(buttons.getByRole('button', { name: /^(Pin|Unpin)$/ })).toHaveCount(0)

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

  await (await hoverButtons(bob.page, 'The door code is 4711')).getByRole('button', { name: 'Pin', exact: true }).click()
  await expect(pinsButton(alice.page)).toHaveAccessibleName('Pinned messages: 1')
  await expect(messageLog(alice.page).getByText('Bob pinned a message')).toBeVisible()

  await (await hoverButtons(alice.page, 'The door code is 4711')).getByRole('button', { name: 'Unpin', exact: true }).click()
  await expect(pinsButton(bob.page)).toHaveAccessibleName('Pinned messages: 0')
  await expect(messageLog(bob.page).getByText('Alice unpinned a message')).toBeVisible()
})
