// Searching all messages and jumping to a result far up a long conversation.
import { conversationTitle, expect, messageLog, messageRows, openConversation, send, sidebarRow, startDirectChat, test } from './fixtures'

const TARGET = 'The quarterly numbers are in the zanzibar folder'

test('a search result opens the conversation at that message, highlighted', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Here is the history')
  const conversationId = await alice.page.locator('[data-conversation-id][aria-selected="true"]').getAttribute('data-conversation-id')
  expect(conversationId).toBeTruthy()

  // 150 messages straight through Alice's core (as if sent from her other computer) while
  // she has no conversation open: the target early, then enough to push it far off screen.
  await alice.page.keyboard.press('Escape')
  await expect(conversationTitle(alice.page)).toHaveCount(0)
  const texts = Array.from({ length: 150 }, (_, i) => (i === 9 ? TARGET : `Filler message number ${i + 1}`))
  for (const text of texts) {
    await alice.client.call('messages.send', { conversationId: conversationId!, text })
  }
  await expect(sidebarRow(alice.page, 'Bob')).toContainText('You: Filler message number 150')
  await expect(alice.page.locator('[data-connection]')).toHaveCount(0)

  // Opened, the chat shows its newest messages; the target is far above, not even in the DOM.
  await openConversation(alice.page, 'Bob')
  await expect(messageRows(alice.page, 'Filler message number 150')).toBeInViewport()
  await expect(messageRows(alice.page, 'zanzibar')).toHaveCount(0)

  const found = await alice.client.call('messages.search', { query: 'zanzibar' })
  expect(found.results).toHaveLength(1)
  const seq = found.results[0]!.message.seq

  await alice.page.getByRole('button', { name: 'Search messages' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Search messages' })
  await dialog.getByLabel('Search for').fill('zanzibar')
  const results = dialog.getByRole('list', { name: 'Results' }).getByRole('button')
  await expect(results).toHaveCount(1)
  await expect(results).toContainText('You: ')
  await expect(results).toContainText('Bob')
  await expect(results.locator('mark')).toHaveText('zanzibar')
  await results.click()
  await expect(dialog).toBeHidden()

  const row = messageLog(alice.page).locator(`[data-seq="${seq}"]`)
  await expect(row).toBeVisible()
  await expect(row).toContainText(TARGET)
  await expect(row).toBeInViewport()
  await expect(row.locator('.message')).toHaveClass(/\bhighlighted\b/)
  await expect(messageLog(alice.page).locator('.message.highlighted')).toHaveCount(1)
  // The newest messages are not loaded around it: the way back down is offered.
  await expect(alice.page.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
  await alice.page.getByRole('button', { name: 'Jump to latest' }).click()
  await expect(messageRows(alice.page, 'Filler message number 150')).toBeVisible()

  // Back at the result, scrolling down brings the newer messages from the cache, up to the newest.
  await alice.page.getByRole('button', { name: 'Search messages' }).click()
  await dialog.getByLabel('Search for').fill('zanzibar')
  await results.click()
  await expect(row).toBeInViewport()
  await expect(messageRows(alice.page, 'Filler message number 150')).toHaveCount(0)
  const scroller = alice.page.locator('[data-virtuoso-scroller]')
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await expect(messageRows(alice.page, 'Filler message number 150')).toBeInViewport({ timeout: 1000 })
  }).toPass()
  await expect(alice.page.getByRole('button', { name: 'Jump to latest' })).toBeHidden()
})
