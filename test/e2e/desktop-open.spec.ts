// What the desktop app asks of the window (the `open` event): a clicked
// notification opens its conversation, an invite link the app was opened
// with lands on the join screen. The Electron main emits these through the
// client core; here the core of each user's host emits them the same way.
import { conversationTitle, expect, openConversation, send, startDirectChat, test } from './fixtures'

test('a clicked notification opens its conversation; an invite link opens the join dialog with its code', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Hi Bob')
  await startDirectChat(carol.page, bob)
  await send(carol.page, 'Hi from Carol')
  await openConversation(bob.page, 'Carol')

  const aliceChat = (await bob.client.call('conversations.list')).find((c) => c.members.some((m) => m.user.username === 'alice'))!
  bob.client.core.events.emit('open', { conversationId: aliceChat.id })
  await expect(conversationTitle(bob.page)).toHaveText('Alice')

  bob.client.core.events.emit('open', { invite: `messenger://join?server=${encodeURIComponent(messenger.serverUrl)}&code=ABCD2345EF` })
  const join = bob.page.getByRole('dialog', { name: 'Join a group' })
  await expect(join).toBeVisible()
  await expect(join.getByRole('textbox')).toHaveValue('ABCD2345EF')
})

test('signed out, an invite link fills the first-run screen', async ({ messenger }) => {
  const dan = await messenger.user('Dan', { signUp: false })
  const link = `messenger://join?server=${encodeURIComponent(messenger.serverUrl)}`
  dan.client.core.events.emit('open', { invite: link })
  await expect(dan.page.getByLabel('Server address or invite link')).toHaveValue(link)
  await dan.page.getByRole('button', { name: 'Continue' }).click()
  await expect(dan.page.getByRole('tab', { name: 'Sign in' })).toBeVisible()
})
