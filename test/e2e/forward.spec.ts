// Issue 20, forwarding as people do it: Alice forwards Bob's message with a
// file from their group to her direct chat with Carol. Carol, who is not in
// the group, sees "Forwarded" (not where from) and downloads the file; Alice
// sees where it came from. A forward of a message Alice cannot read is refused.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { conversationTitle, createGroup, expect, messageLog, openConversation, sendPreviewedFiles, startDirectChat, test } from './fixtures'

test('Alice forwards Bob’s message with a file to Carol; Carol sees “Forwarded” and downloads it; an unreadable one is refused', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await startDirectChat(alice.page, carol)
  await createGroup(alice.page, 'Design', ['Bob'])

  // Bob sends the numbers with a file in the group.
  const numbers = Buffer.from('quarter,revenue\nQ1,10\nQ2,12\n'.repeat(500))
  await openConversation(bob.page, 'Design')
  await bob.page.getByRole('textbox', { name: 'Write a message' }).fill('the numbers for Q2')
  await bob.page.getByTestId('attach-input').setInputFiles([{ name: 'numbers.csv', mimeType: 'text/csv', buffer: numbers }])
  await sendPreviewedFiles(bob.page)
  await expect(messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'the numbers for Q2' }).getByText('numbers.csv')).toBeVisible()

  // Alice: right click on it, Forward…, find Carol, forward.
  await openConversation(alice.page, 'Design')
  const original = messageLog(alice.page).locator('[data-seq]').filter({ hasText: 'the numbers for Q2' })
  await original.locator('.bubble').click({ button: 'right' })
  await alice.page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Forward…' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Forward message' })
  await dialog.getByRole('searchbox', { name: 'Search conversations' }).fill('car')
  await expect(dialog.getByRole('checkbox')).toHaveCount(1)
  await dialog.getByRole('checkbox', { name: 'Carol' }).check()
  await dialog.getByRole('button', { name: 'Forward to 1 conversation' }).click()
  await expect(dialog).toBeHidden()

  // Alice's copy names the group, and leads back to the original.
  await openConversation(alice.page, 'Carol')
  const mine = messageLog(alice.page).locator('[data-seq]').filter({ hasText: 'the numbers for Q2' })
  await mine.getByRole('button', { name: 'Forwarded from Design' }).click()
  await expect(conversationTitle(alice.page)).toHaveText('Design')
  await expect(alice.page.locator('.message.highlighted')).toContainText('the numbers for Q2')

  // Carol sees "Forwarded" only (she is not in Design) and downloads the same bytes.
  await openConversation(carol.page, 'Alice')
  const got = messageLog(carol.page).locator('[data-seq]').filter({ hasText: 'the numbers for Q2' })
  await expect(got.getByText('Forwarded', { exact: true })).toBeVisible()
  await expect(got.getByText(/Forwarded from/)).toHaveCount(0)
  await got.getByRole('button', { name: 'Download numbers.csv' }).click()
  await expect(got.getByText('Saved as numbers.csv')).toBeVisible()
  const saved = await readFile(join((await carol.client.call('files.downloadDir')).directory, 'numbers.csv'))
  expect(saved.equals(numbers)).toBe(true)

  // Bob and Carol talk without Alice; a forward of that message by Alice is refused, and she is told.
  await startDirectChat(carol.page, bob)
  const secret = await carol.client.call('messages.send', { conversationId: (await carol.client.call('conversations.list')).find((c) => c.kind === 'direct' && c.members.some((m) => m.user.username === 'bob'))!.id, text: 'just between us' })
  await expect(messageLog(carol.page).locator('[data-seq]').filter({ hasText: 'just between us' })).toBeVisible()
  const carolBob = secret.conversationId
  const seq = (await carol.client.call('messages.page', { conversationId: carolBob })).messages.find((m) => m.text === 'just between us')!.seq
  const aliceCarol = (await alice.client.call('conversations.list')).find((c) => c.kind === 'direct')!.id
  await alice.client.call('messageMenu.forward', { from: { conversationId: carolBob, seq }, to: [aliceCarol] })
  await openConversation(alice.page, 'Carol')
  await expect(messageLog(alice.page).locator('[data-client-id] .failed-note')).toContainText('You are not allowed to do that here.')
  await expect(messageLog(carol.page).getByText('just between us')).toHaveCount(1)
})
