// Two people in a group who go by the same name are told apart by username
// wherever the window names them; where no one shares a name, nothing changes.
import type { User } from './fixtures'
import { conversationTitle, expect, messageLog, messageRows, openConversation, send, sidebarRow, test } from './fixtures'

async function meId(user: User): Promise<string> {
  const session = await user.client.call('session.get')
  if (session.status !== 'signed_in') throw new Error(`${user.username} is not signed in`)
  return session.me.id
}

test('namesakes in a group show their usernames: as authors, in the members list and in read receipts', async ({ messenger }) => {
  const carol = await messenger.user('Carol')
  const alice = await messenger.user('Alice')
  const other = await messenger.user('Alice', { username: 'alice2' })

  const group = await carol.client.call('conversations.createGroup', { title: 'Standup', memberIds: [await meId(alice), await meId(other)] })
  // Each Alice's app has heard of the group before sending to it.
  for (const member of [alice, other]) await expect(sidebarRow(member.page, 'Standup')).toBeVisible()
  await alice.client.call('messages.send', { conversationId: group.id, text: 'from the first Alice' })
  await other.client.call('messages.send', { conversationId: group.id, text: 'from the second Alice' })

  await openConversation(carol.page, 'Standup')
  await expect(messageRows(carol.page, 'from the first Alice').locator('.message-sender')).toHaveText('Alice (@alice)')
  await expect(messageRows(carol.page, 'from the second Alice').locator('.message-sender')).toHaveText('Alice (@alice2)')

  // Read receipts name them the same way.
  await send(carol.page, 'who is who?')
  const { seq } = (await carol.client.call('messages.page', { conversationId: group.id })).messages.at(-1)!
  for (const reader of [alice, other]) await reader.client.call('conversations.markRead', { conversationId: group.id, seq })
  await expect(messageRows(carol.page, 'who is who?').locator('.ticks')).toHaveAttribute('title', /^Read by (Alice \(@alice\), Alice \(@alice2\)|Alice \(@alice2\), Alice \(@alice\))$/)

  // The members list.
  await carol.page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click()
  const settings = carol.page.getByRole('dialog', { name: 'Group settings' })
  await expect(settings.getByRole('heading', { name: '3 members' })).toBeVisible()
  await expect(settings.locator('.dialog-item-title')).toHaveText(['Carol (you)', 'Alice (@alice)', 'Alice (@alice2)'])
  await settings.getByRole('button', { name: 'Close' }).click()

  // A direct chat holds only one Alice: her name alone.
  const direct = await alice.client.call('conversations.openDirect', { userId: await meId(carol) })
  if (!('conversation' in direct)) throw new Error('expected a chat, not an invitation')
  await alice.client.call('messages.send', { conversationId: direct.conversation.id, text: 'just me here' })
  await expect(sidebarRow(carol.page, 'Alice')).toBeVisible()
  await openConversation(carol.page, 'Alice')
  await expect(conversationTitle(carol.page)).toHaveText('Alice')
  await expect(messageLog(carol.page).getByText('just me here')).toBeVisible()
})

