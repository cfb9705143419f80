// Issue 21 (i21-attention): do-not-disturb and custom status as two people see
// them. Alice sets a status with an emoji that Bob sees beside her name; she
// turns on do-not-disturb for an hour from her name in the sidebar, and Bob
// sees the mark beside her presence and a note over his composer; she turns
// it off and both go.
import { expect, openConversation, send, sidebarRow, startDirectChat, test } from './fixtures'

test('Alice sets a status and do-not-disturb: Bob sees the emoji, the mark and the composer note, until she turns it off', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  // A custom status with an emoji, from the profile.
  await alice.page.getByRole('button', { name: /^Alice/ }).first().click()
  const profile = alice.page.getByRole('dialog', { name: 'Profile' })
  await profile.getByRole('button', { name: 'Choose a status emoji' }).click()
  const picker = alice.page.getByRole('dialog', { name: 'Pick an emoji' })
  await expect(picker.getByRole('combobox', { name: 'Search for an emoji' })).toBeFocused()
  await alice.page.keyboard.type('avocado')
  await alice.page.keyboard.press('Enter')
  await expect(picker).toBeHidden()
  await expect(profile.getByRole('button', { name: /^Status emoji 🥑/ })).toBeVisible()
  await profile.getByRole('textbox', { name: 'Status', exact: true }).fill('Lunch')
  await profile.getByLabel('Clear after').selectOption({ label: '1 hour' })
  await profile.getByRole('button', { name: 'Set status' }).click()
  await expect(profile.getByRole('img', { name: 'Status: 🥑 Lunch' })).toBeVisible()
  await alice.page.keyboard.press('Escape')
  await expect(profile).toBeHidden()

  // Bob meets Alice with her status: beside her name in the header and the sidebar.
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Back at two')
  await expect(sidebarRow(bob.page, 'Alice')).toBeVisible()
  await openConversation(bob.page, 'Alice')
  const header = bob.page.getByRole('region', { name: 'Open conversation' }).locator('header')
  await expect(header.getByRole('img', { name: 'Status: 🥑 Lunch' })).toBeVisible()
  await expect(sidebarRow(bob.page, 'Alice').getByTestId('status-emoji')).toHaveText('🥑')
  await expect(header.getByTestId('dnd-mark')).toHaveCount(0)
  await expect(bob.page.getByTestId('dnd-note')).toHaveCount(0)

  // Do-not-disturb for an hour, from her own name in the sidebar.
  await alice.page.getByRole('button', { name: 'Do not disturb', exact: true }).click()
  await alice.page.getByRole('menu', { name: 'Do not disturb' }).getByRole('menuitem', { name: 'For 1 hour' }).click()
  await expect(alice.page.getByTestId('dnd-button')).toHaveAccessibleName(/^Do not disturb until \d{1,2}:\d{2}/)

  await expect(header.getByRole('img', { name: /^Do not disturb until / })).toBeVisible()
  await expect(sidebarRow(bob.page, 'Alice').getByTestId('dnd-mark')).toBeVisible()
  await expect(bob.page.getByTestId('dnd-note')).toHaveText(/^Alice has notifications paused until \d{1,2}:\d{2}/)

  // Off again: the mark and the note go.
  await alice.page.getByTestId('dnd-button').click()
  await alice.page.getByRole('menu', { name: 'Do not disturb' }).getByRole('menuitem', { name: 'Turn off' }).click()
  await expect(alice.page.getByTestId('dnd-button')).toHaveAccessibleName('Do not disturb')
  await expect(header.getByTestId('dnd-mark')).toHaveCount(0)
  await expect(sidebarRow(bob.page, 'Alice').getByTestId('dnd-mark')).toHaveCount(0)
  await expect(bob.page.getByTestId('dnd-note')).toHaveCount(0)
})
