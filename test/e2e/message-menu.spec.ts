// Issue 20, the message menu, by keyboard only: open it on a message, react
// with an emoji found by searching the full picker, copy the message's link
// and open it from another conversation, mark unread from here.
import { conversationTitle, createGroup, expect, messageRows, send, sidebarRow, startDirectChat, test } from './fixtures'

test('the message menu by keyboard: react with a searched emoji, copy a link and open it, mark unread from here', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const page = alice.page
  await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await startDirectChat(bob.page, alice)
  await send(bob.page, 'Lunch at noon?')
  await send(bob.page, 'The usual place')
  await send(bob.page, 'Bring the slides')
  await sidebarRow(page, 'Bob').click()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(sidebarRow(page, 'Bob')).toHaveAccessibleName('Bob')

  // Shift+F10 on the focused message (its hover bar takes focus from the keyboard) opens its menu.
  const row = messageRows(page, 'Lunch at noon?')
  await row.getByRole('button', { name: 'Reply', exact: true }).focus()
  await page.keyboard.press('Shift+F10')
  const menu = page.getByRole('menu', { name: 'Message actions' })
  await expect(menu.getByRole('menuitem', { name: 'Reply', exact: true })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Reply in thread' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'React…' })).toBeFocused()
  // Esc closes only the menu; focus is back on the message.
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(row.getByRole('button', { name: 'Reply', exact: true })).toBeFocused()

  // React…: the full picker, searched.
  await page.keyboard.press('Shift+F10')
  await menu.getByRole('menuitem', { name: 'React…' }).focus()
  await page.keyboard.press('Enter')
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' })
  const search = picker.getByRole('combobox', { name: 'Search for an emoji' })
  await expect(search).toBeFocused()
  // Enter takes the first match (the arrows would move on from it).
  await page.keyboard.type('avocado')
  await page.keyboard.press('Enter')
  await expect(picker).toBeHidden()
  await expect(row.getByRole('button', { name: /^🥑 1/ })).toBeVisible()
  await expect(bob.page.getByRole('button', { name: /^🥑 1/ })).toBeVisible()
  await expect(row.getByRole('button', { name: 'More actions' })).toBeFocused()

  // Copy link, from the "…" button by keyboard.
  await page.keyboard.press('Enter')
  await expect(menu).toBeVisible()
  await page.keyboard.press('End')
  await expect(menu.getByRole('menuitem', { name: 'Info' })).toBeFocused()
  for (;;) {
    if (await menu.getByRole('menuitem', { name: 'Copy link' }).evaluate((el) => el === document.activeElement)) break
    await page.keyboard.press('ArrowUp')
  }
  await page.keyboard.press('Enter')
  await expect(menu).toBeHidden()
  const link = await page.evaluate(() => navigator.clipboard.readText())
  expect(link).toMatch(/^messenger:\/\/message\?server=.+&conversation=[0-9a-f-]{36}&seq=\d+$/)

  // Opened from another conversation: the app shows Bob's chat and that message.
  await createGroup(page, 'Lunch crew', ['Bob'])
  await send(page, `Where we meet: ${link}`)
  await messageRows(page, 'Where we meet').getByRole('button', { name: 'Go to linked message' }).click()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(page.locator('.message.highlighted')).toContainText('Lunch at noon?')

  // Mark unread from the second message: the badge counts it and the one after, and stays while the chat is open.
  const second = messageRows(page, 'The usual place')
  await second.getByRole('button', { name: 'Reply', exact: true }).focus()
  await page.keyboard.press('Shift+F10')
  await page.keyboard.press('End')
  await page.keyboard.press('ArrowUp')
  await expect(menu.getByRole('menuitem', { name: 'Mark unread from here' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(sidebarRow(page, 'Bob')).toHaveAccessibleName('Bob, 2 unread')
  await expect(sidebarRow(page, 'Bob')).toContainText('2')
})
