// Threads (issue 20, item 3), as two people use them: Bob replies in a
// thread under Alice's message; Alice sees the summary, the panel and her
// Threads view; "also send to the conversation"; the thread read offline.
import { expect, messageRows, openConversation, send, sidebarRow, startDirectChat, test, type User } from './fixtures'

const panelOf = (user: User) => user.page.getByRole('complementary', { name: /^Thread of / })
const replies = (user: User) => panelOf(user).getByRole('list', { name: 'Replies' })
const threadBox = (user: User) => panelOf(user).getByRole('textbox', { name: 'Reply in the thread' })
const threadsEntry = (user: User) => user.page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: /^Threads/ })

test('Bob replies in a thread: Alice sees "1 reply", reads it in the panel and her Threads view, and reads it again offline', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Who reviews the release notes?')
  await openConversation(bob.page, 'Alice')

  // Bob: "Reply in thread" on the message's hover bar opens the panel, its composer focused.
  const root = messageRows(bob.page, 'Who reviews the release notes?')
  await root.hover()
  const replyInThread = root.getByRole('button', { name: 'Reply in thread' })
  await replyInThread.click()
  await expect(panelOf(bob)).toBeVisible()
  await expect(threadBox(bob)).toBeFocused()
  await threadBox(bob).fill('I can do it')
  await threadBox(bob).press('Enter')
  await expect(replies(bob).locator('[data-seq]')).toContainText('I can do it')
  // Esc closes the panel and focus goes back to where it was.
  await threadBox(bob).press('Escape')
  await expect(panelOf(bob)).toBeHidden()
  await expect(replyInThread).toBeFocused()

  // Alice: the summary under her message, the reply not in the list, no unread in the conversation.
  const summary = messageRows(alice.page, 'Who reviews the release notes?').getByTestId('thread-summary')
  await expect(summary).toContainText('1 reply')
  await expect(summary).toContainText('Bob')
  await expect(messageRows(alice.page, 'I can do it')).toHaveCount(0)
  await expect(sidebarRow(alice.page, 'Bob')).toHaveAccessibleName('Bob')
  // Her Threads view has it unread.
  await expect(threadsEntry(alice)).toHaveAccessibleName('Threads, 1 unread')
  await threadsEntry(alice).click()
  const followed = alice.page.getByRole('list', { name: 'Followed threads' }).getByTestId('followed-thread')
  await expect(followed).toHaveCount(1)
  await expect(followed).toContainText('Who reviews the release notes?')
  await expect(followed).toContainText('1 unread')
  await followed.click()
  await expect(replies(alice)).toContainText('I can do it')
  // Seen in the panel: read.
  await expect(threadsEntry(alice)).toHaveAccessibleName('Threads')

  // "Also send to the conversation": the reply shows in both places, for both.
  await messageRows(bob.page, 'Who reviews the release notes?').getByTestId('thread-summary').click()
  await panelOf(bob).getByRole('checkbox', { name: 'Also send to the conversation' }).check()
  await threadBox(bob).fill('Done, notes are in the doc')
  await threadBox(bob).press('Enter')
  await expect(replies(bob)).toContainText('Done, notes are in the doc')
  await expect(messageRows(bob.page, 'Done, notes are in the doc')).toBeVisible()
  await expect(replies(alice)).toContainText('Done, notes are in the doc')
  await expect(messageRows(alice.page, 'Done, notes are in the doc')).toBeVisible()
  await expect(summary).toContainText('2 replies')

  // The server goes away and Alice reloads: the thread is read from her cache.
  await messenger.stopServer()
  await alice.page.reload()
  await openConversation(alice.page, 'Bob')
  await messageRows(alice.page, 'Who reviews the release notes?').getByTestId('thread-summary').click()
  await expect(replies(alice)).toContainText('I can do it')
  await expect(replies(alice)).toContainText('Done, notes are in the doc')
})
