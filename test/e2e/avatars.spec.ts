// Pictures and initials (issue 26 item 3): a person's picture wherever they
// are shown, and initials made of letters only, in any script.
import { expect, messageRows, PASSWORD, send, startDirectChat, test, type User } from './fixtures'

// A 1×1 PNG: the picture Alice chose.
const PICTURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

async function userId(user: User): Promise<string> {
  const state = await user.client.call('session.get')
  if (state.status !== 'signed_in') throw new Error(`${user.name} is not signed in`)
  return state.me.id
}

test('a picture shows in the new-chat search, contacts, invitations, Read by and chat details; initials are letters only', async ({ messenger }) => {
  const alice = await messenger.user('Alice Anders (Ops)', { username: 'alice' })
  const bob = await messenger.user('Bob')
  await alice.client.call('profile.update', { avatar: PICTURE })
  // Two more people without a picture, found in the same search.
  const carol = await messenger.user('Carol', { signUp: false })
  await carol.client.call('session.register', { serverUrl: messenger.serverUrl, username: 'alina', password: PASSWORD, displayName: 'Ålina Åberg (HR)' })
  const rocket = await messenger.user('Rocket', { signUp: false })
  await rocket.client.call('session.register', { serverUrl: messenger.serverUrl, username: 'alrocket', password: PASSWORD, displayName: '🚀' })

  // New chat: the search shows Alice's picture; others get letters, or a neutral glyph for a name with none.
  const page = bob.page
  await page.getByRole('button', { name: 'New chat' }).click()
  const newChat = page.getByRole('dialog', { name: 'New chat' })
  await newChat.getByLabel('Find a person').fill('al')
  await expect(newChat.getByRole('button', { name: 'Chat with Alice Anders (Ops)' }).locator('.avatar img')).toHaveAttribute('src', PICTURE)
  await expect(newChat.getByRole('button', { name: 'Chat with Ålina Åberg (HR)' }).locator('.avatar')).toHaveText('ÅÅ')
  const glyph = newChat.getByRole('button', { name: 'Chat with 🚀' }).locator('.avatar')
  await expect(glyph).toHaveText('')
  await expect(glyph.locator('svg')).toBeVisible()
  await newChat.getByRole('button', { name: 'Close' }).click()

  // Contacts: the invitation waiting for Alice, then Alice as a contact.
  const invitation = await bob.client.call('invitations.send', { userId: await userId(alice) })
  await page.getByRole('button', { name: /^Contacts and invitations/ }).click()
  const contacts = page.getByRole('dialog', { name: 'Contacts' })
  await expect(contacts.getByRole('listitem').filter({ hasText: '@alice' }).locator('.avatar img')).toHaveAttribute('src', PICTURE)
  await alice.client.call('invitations.accept', { invitationId: invitation.id })
  await contacts.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: /^Contacts and invitations/ }).click()
  await expect(contacts.getByRole('list', { name: 'Your contacts' }).getByRole('listitem').filter({ hasText: 'Alice Anders (Ops)' }).locator('.avatar img')).toHaveAttribute(
    'src',
    PICTURE
  )
  await contacts.getByRole('button', { name: 'Close' }).click()

  // Read by, once Alice has read Bob's message; and the chat's details.
  await startDirectChat(page, { ...alice, name: 'Alice Anders (Ops)', username: 'alice' })
  await send(page, 'Lunch at noon?')
  await alice.page.getByRole('option', { name: /^Bob\b/ }).click()
  const row = messageRows(page, 'Lunch at noon?')
  await expect(row.locator('[data-ticks]')).toHaveAttribute('data-ticks', 'read')
  await row.hover()
  await row.getByRole('button', { name: 'More actions' }).click()
  await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Info' }).click()
  const info = page.getByRole('dialog', { name: 'Message info' })
  await expect(info.getByRole('region', { name: 'Read by' }).locator('.avatar img')).toHaveAttribute('src', PICTURE)
  await info.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Details' }).click()
  await expect(page.getByRole('dialog', { name: 'Chat details' }).locator('.avatar img')).toHaveAttribute('src', PICTURE)
})
