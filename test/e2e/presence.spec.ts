// Typing indicators, read receipts, online and last seen: what the other
// person sees of someone.
import { expect, messageRows, openConversation, send, sidebarRow, startDirectChat, test } from './fixtures'

test('typing shows to the other person; the tick turns to read once they open the chat', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Did you see the report?')
  const ticks = messageRows(alice.page, 'Did you see the report?').locator('[data-ticks]')
  // Bob's app is running but he has not opened the chat: delivered, not read.
  await expect(ticks).toHaveAttribute('data-ticks', 'delivered')
  await expect(ticks).toHaveAccessibleName('Delivered')
  await expect(sidebarRow(bob.page, 'Alice')).toHaveAccessibleName('Alice, 1 unread')

  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, 'Did you see the report?')).toBeVisible()
  await expect(ticks).toHaveAttribute('data-ticks', 'read')
  await expect(ticks).toHaveAccessibleName('Read by Bob')

  // Who read it and when, in the message's info.
  await messageRows(alice.page, 'Did you see the report?').hover()
  await messageRows(alice.page, 'Did you see the report?').getByRole('button', { name: 'More actions' }).click()
  await alice.page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Info' }).click()
  const info = alice.page.getByRole('dialog', { name: 'Message info' })
  await expect(info.getByRole('region', { name: 'Read by' })).toContainText('Bob')
  await info.getByRole('button', { name: 'Close' }).click()
  await expect(info).toBeHidden()

  // Alice types (without sending): Bob sees it; once she sends, it stops.
  const typing = bob.page.getByText('Alice is typing…')
  await expect(typing).toHaveCount(0)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.pressSequentially('Yes, page 3')
  await expect(typing).toBeVisible()
  await box.press('Enter')
  await expect(messageRows(bob.page, 'Yes, page 3')).toBeVisible()
  await expect(typing).toHaveCount(0)
  // Bob has the chat open at the bottom: the new message is read at once too.
  await expect(messageRows(alice.page, 'Yes, page 3').locator('[data-ticks]')).toHaveAttribute('data-ticks', 'read')
})

test('online while the app runs, last seen once it quits', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Online?')
  await openConversation(bob.page, 'Alice')
  const subtitle = bob.page.getByTestId('conversation-subtitle')
  await expect(subtitle).toHaveText('online')
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText('online')

  // Alice's app quits (page, host and core).
  await alice.quit()
  await expect(subtitle).toHaveText(/^last seen /)
  await expect(subtitle).toHaveText('last seen just now')
})

test('while the server is away nobody is shown online: the last seen time, as unknown, until it is back', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Still there?')
  const subtitle = alice.page.getByTestId('conversation-subtitle')
  await expect(subtitle).toHaveText('online')
  const dot = sidebarRow(alice.page, 'Bob').locator('.avatar-dot')
  await expect(dot).toHaveCount(1)

  await messenger.stopServer()
  await expect(alice.page.getByText('Offline', { exact: false }).first()).toBeVisible()
  // Bob may well be online, but Alice cannot know: when she last knew, greyed, and no green dot.
  await expect(subtitle).toHaveText(/^last seen /)
  await expect(subtitle).toHaveClass(/presence-unknown/)
  await expect(dot).toHaveCount(0)
  await expect(alice.page.locator('.conversation-header .avatar-dot')).toHaveCount(0)

  await messenger.restartServer()
  await expect(subtitle).toHaveText('online')
  await expect(subtitle).not.toHaveClass(/presence-unknown/)
  await expect(dot).toHaveCount(1)
})
