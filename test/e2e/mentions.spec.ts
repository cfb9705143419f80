// Issue 20 (mentions), as two people do it: Alice mentions Bob with the
// keyboard, Bob sees the mention badge and his mention highlighted; a group
// where only admins may use @all refuses a member in words.
import type { Page } from '@playwright/test'
import { createGroup, expect, messageRows, openConversation, test } from './fixtures'

const composer = (page: Page) => page.getByRole('textbox', { name: 'Write a message' })
const mentionMenu = (page: Page) => page.getByRole('listbox', { name: 'People to mention' })
/** The group's sidebar row while it carries `mentions` unread mentions (the badge is its own box: Chromium puts a space before its words). */
const rowWithMentions = (page: Page, title: string, mentions: number) =>
  page.getByRole('listbox', { name: 'Conversation list' }).getByRole('option', { name: new RegExp(`^${title}, \\d+ unread ?, ${mentions} mentions?$`) })

test('Alice picks Bob from the @ menu with the keyboard; Bob gets a mention badge and sees his mention highlighted', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const boris = await messenger.user('Boris')
  await createGroup(alice.page, 'Team', ['Bob', 'Boris'])

  const box = composer(alice.page)
  await box.click()
  await box.pressSequentially('@bo')
  const menu = mentionMenu(alice.page)
  await expect(menu.getByRole('option')).toHaveText([/^Bob@bob$/, /^Boris@boris$/])
  await box.press('ArrowDown')
  await expect(menu.getByRole('option', { selected: true })).toHaveText(/Boris/)
  await box.press('ArrowUp')
  await expect(menu.getByRole('option', { selected: true })).toHaveText(/Bob/)
  await box.press('Enter')
  await expect(menu).toBeHidden()
  await expect(box).toHaveValue('@bob ')
  await box.pressSequentially('can you review the plan?')
  await box.press('Enter')
  await expect(box).toHaveValue('')
  // Alice sees the chip with Bob's name, not as her own mention.
  const sent = messageRows(alice.page, 'can you review the plan?')
  await expect(sent.locator('.mention')).toHaveText('@Bob')
  await expect(sent.locator('.mention--me')).toHaveCount(0)

  // Bob: an @ badge on the group's row, apart from the unread count.
  const row = rowWithMentions(bob.page, 'Team', 1)
  await expect(row).toBeVisible()
  await expect(row.getByTestId('mention-badge')).toContainText('@1')
  // Boris was not mentioned: no badge.
  await expect(boris.page.getByRole('listbox', { name: 'Conversation list' }).getByRole('option', { name: /^Team, 1 unread$/ })).toBeVisible()
  await expect(boris.page.getByTestId('mention-badge')).toHaveCount(0)

  await openConversation(bob.page, 'Team')
  await expect(messageRows(bob.page, 'can you review the plan?').locator('.mention--me')).toHaveText('@Bob')
  // Read: the badge goes.
  await expect(bob.page.getByTestId('mention-badge')).toHaveCount(0)
})

test('where only admins may use @here and @all, a member is refused in words and not offered them; the admin is', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Team', ['Bob'])

  await alice.page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click()
  const settings = alice.page.getByRole('dialog', { name: 'Group settings' })
  await settings.getByLabel('Who can use @here and @all').selectOption({ label: 'Admins only' })
  await expect(settings.getByLabel('Who can use @here and @all')).toHaveValue('admins')
  await settings.getByRole('button', { name: 'Close' }).click()

  await openConversation(bob.page, 'Team')
  const box = composer(bob.page)
  await box.click()
  await box.pressSequentially('@al')
  // Only Alice is offered: @all is not.
  await expect(mentionMenu(bob.page).getByRole('option')).toHaveText([/^Alice@alice$/])
  await box.press('Escape')
  await expect(mentionMenu(bob.page)).toBeHidden()
  await box.pressSequentially('l please read')
  await box.press('Enter')
  await expect(bob.page.getByText('Only admins can use @here and @all in this conversation.')).toBeVisible()
  // Nothing was sent: the text waits in the box.
  await expect(box).toHaveValue('@all please read')
  await expect(messageRows(alice.page, 'please read')).toHaveCount(0)

  // The admin is offered @all and may send it; Bob is mentioned by it.
  const adminBox = composer(alice.page)
  await adminBox.click()
  await adminBox.pressSequentially('@al')
  await expect(mentionMenu(alice.page).getByRole('option', { name: /@all/ })).toBeVisible()
  await mentionMenu(alice.page).getByRole('option', { name: /@all/ }).click()
  await expect(adminBox).toHaveValue('@all ')
  await adminBox.pressSequentially('standup in 5')
  await adminBox.press('Enter')
  await expect(messageRows(bob.page, 'standup in 5').locator('.mention--me')).toHaveText('@all')
})
