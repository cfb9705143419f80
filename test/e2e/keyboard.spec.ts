// Dialogs and menus with the keyboard (issue 26 item 4): focus moves in, Tab
// cycles inside, Esc closes the innermost thing only (never the conversation
// beneath), and focus goes back to the button that opened it.
import type { Locator, Page } from '@playwright/test'
import { conversationTitle, expect, messageRows, send, sendPreviewedFiles, startDirectChat, test } from './fixtures'

/** Tab (and Shift+Tab) more times than there are controls: focus never leaves `inside`. */
async function tabStaysIn(page: Page, inside: Locator, presses = 8): Promise<void> {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab')
    await expect(inside.locator(':focus')).toHaveCount(1)
  }
}

test('Message info, Contacts and the message menu keep focus inside, close alone on Esc and give focus back', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const page = alice.page
  await startDirectChat(page, bob)
  await send(page, 'Coffee?')
  const row = messageRows(page, 'Coffee?')

  // Message info (the message menu's Info): focus goes in, stays in, Esc closes the dialog and not the chat.
  await row.hover()
  const more = row.getByRole('button', { name: 'More actions' })
  await more.click()
  await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Info' }).click()
  const info = page.getByRole('dialog', { name: 'Message info' })
  await expect(info.locator(':focus')).toHaveCount(1)
  await tabStaysIn(page, info)
  await page.keyboard.press('Escape')
  await expect(info).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(more).toBeFocused()

  // Contacts, opened from the sidebar: the same, and the picker inside is reachable by Tab.
  const contactsButton = page.getByRole('button', { name: /^Contacts and invitations/ })
  await contactsButton.click()
  const contacts = page.getByRole('dialog', { name: 'Contacts' })
  await expect(contacts.locator(':focus')).toHaveCount(1)
  await tabStaysIn(page, contacts)
  // The rest of the window cannot take focus meanwhile (it is inert).
  const takesFocus = await page.getByRole('button', { name: 'New chat' }).evaluate((el: HTMLElement) => (el.focus(), document.activeElement === el))
  expect(takesFocus).toBe(false)
  await page.keyboard.press('Escape')
  await expect(contacts).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(contactsButton).toBeFocused()

  // The message menu (issue 20): focus on its first item, arrows and Tab move inside it, Esc closes only the menu.
  await row.hover()
  await more.click()
  const menu = page.getByRole('menu', { name: 'Message actions' })
  await expect(menu.getByRole('menuitem', { name: 'Reply', exact: true })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Reply in thread' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'React…' })).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await expect(menu.getByRole('menuitem', { name: 'Info' })).toBeFocused()
  await tabStaysIn(page, menu)
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(more).toBeFocused()

  // Reacting from the keyboard: React… opens the picker at its search; Enter takes the first match; focus is back on "…".
  await page.keyboard.press('Enter')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' })
  await expect(picker.getByRole('combobox', { name: 'Search for an emoji' })).toBeFocused()
  await page.keyboard.type('thumbs up')
  await page.keyboard.press('Enter')
  await expect(picker).toBeHidden()
  await expect(row.getByRole('button', { name: /^👍 1/ })).toBeVisible()
  await expect(more).toBeFocused()

  // With nothing open, Esc still closes the conversation.
  await page.keyboard.press('Escape')
  await expect(conversationTitle(page)).toHaveCount(0)
})

test('a picture opened in full closes on Esc alone, back to its thumbnail', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const page = alice.page
  await startDirectChat(page, bob)
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
  await page.getByTestId('attach-input').setInputFiles([{ name: 'dot.png', mimeType: 'image/png', buffer: png }])
  await sendPreviewedFiles(page)
  const thumbnail = page.getByRole('log', { name: 'Messages' }).getByRole('button', { name: 'View dot.png' })
  await thumbnail.click()
  const full = page.getByRole('dialog', { name: 'dot.png' })
  await expect(full.getByRole('button', { name: 'Close' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(full).toBeHidden()
  await expect(conversationTitle(page)).toHaveText('Bob')
  await expect(thumbnail).toBeFocused()
})
