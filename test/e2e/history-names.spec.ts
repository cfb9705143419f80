// Issue 26: a group's history keeps naming people who left, on a device that
// never met them (item 2), and system events are not unread (item 8).
import type { Page } from '@playwright/test'
import { chooseServer, expect, expectOnline, messageLog, openConversation, PASSWORD, send, sidebarRow, test, type User } from './fixtures'

/** Profile → Sign out → Yes: the first-run screen. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  const profile = page.getByRole('dialog', { name: 'Profile' })
  await profile.getByRole('button', { name: 'Sign out' }).click()
  await profile.getByRole('button', { name: 'Yes, sign out' }).click()
  await expect(page.getByLabel('Server address or invite link')).toBeVisible()
}

/** The first-run screen → this server → Sign in: the main window, caught up. */
async function signIn(page: Page, serverUrl: string, user: User): Promise<void> {
  await chooseServer(page, serverUrl)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByLabel('Username').fill(user.username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expectOnline(page)
}

async function idOf(user: User): Promise<string> {
  const session = await user.client.call('session.get')
  if (session.status !== 'signed_in') throw new Error(`${user.name} is not signed in`)
  return session.me.id
}

async function groupOf(owner: User, title: string, members: User[]): Promise<string> {
  const memberIds = await Promise.all(members.map(idOf))
  return (await owner.client.call('conversations.createGroup', { title, memberIds })).id
}

test('after signing out and in again, the history still names someone who was removed, rejoined by code and left', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  const id = await groupOf(alice, 'Ops', [bob, carol])
  await expect(sidebarRow(bob.page, 'Ops')).toBeVisible()
  const bobId = await idOf(bob)
  await alice.client.call('conversations.removeMember', { conversationId: id, userId: bobId })
  const code = await alice.client.call('conversations.createJoinCode', { conversationId: id })
  await bob.client.call('conversations.join', { code: code.code })
  await bob.client.call('conversations.leave', { conversationId: id })
  await openConversation(carol.page, 'Ops')
  await expect(messageLog(carol.page).getByText('Bob left')).toBeVisible()

  await signOut(carol.page)
  await signIn(carol.page, messenger.serverUrl, carol)
  await openConversation(carol.page, 'Ops')
  const log = messageLog(carol.page)
  await expect(log.getByText('Bob left')).toBeVisible()
  await expect(log.getByText('Alice removed Bob')).toBeVisible()
  await expect(log.getByText('Bob joined with a join code')).toBeVisible()
  await expect(log).not.toContainText('someone')
})

test('system events do not count as unread; messages do, live and after signing in again', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const id = await groupOf(alice, 'Ops', [bob])
  await expect(sidebarRow(bob.page, 'Ops')).toHaveAccessibleName('Ops')

  await alice.client.call('conversations.createJoinCode', { conversationId: id })
  await alice.client.call('conversations.update', { conversationId: id, title: 'Ops team' })
  // Bob sees the rename arrive, and no unread count with it.
  await expect(sidebarRow(bob.page, 'Ops team')).toBeVisible()
  await expect(sidebarRow(bob.page, 'Ops team').locator('.conversation-preview')).toContainText('renamed')
  await expect(sidebarRow(bob.page, 'Ops team')).toHaveAccessibleName('Ops team')

  await openConversation(alice.page, 'Ops team')
  await send(alice.page, 'Standup at ten')
  await alice.client.call('conversations.createJoinCode', { conversationId: id })
  await expect(sidebarRow(bob.page, 'Ops team').locator('.conversation-preview')).toContainText('join code')
  await expect(sidebarRow(bob.page, 'Ops team')).toHaveAccessibleName('Ops team, 1 unread')

  // The server's count, which a fresh sign-in shows, agrees.
  await signOut(bob.page)
  await signIn(bob.page, messenger.serverUrl, bob)
  await expect(sidebarRow(bob.page, 'Ops team')).toHaveAccessibleName('Ops team, 1 unread')
  // Reading clears it.
  await openConversation(bob.page, 'Ops team')
  await expect(messageLog(bob.page).getByText('Standup at ten')).toBeVisible()
  await expect(sidebarRow(bob.page, 'Ops team')).toHaveAccessibleName('Ops team')
})
