// Group invite links (issue 20 item 10): beside the join code, the admin
// copies a link; opened in the app (the desktop app's open path: its core
// emits `open`), it leads to the join dialog for that group; signed out, to
// the first-run screen and then into the group. Replacing the code makes the
// old link fail, saying so.
import type { Page } from '@playwright/test'
import { conversationTitle, createGroup, expect, sidebarRow, signUpInUi, test, type User } from './fixtures'

function openSettings(page: Page): Promise<void> {
  return page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click()
}

/** Alice's group settings: make (or replace) the code, and read the invite link shown beside it. */
async function inviteLink(alice: User, replace: boolean): Promise<string> {
  await openSettings(alice.page)
  const settings = alice.page.getByRole('dialog', { name: 'Group settings' })
  const before = replace ? await settings.locator('.join-code-value').textContent() : null
  if (replace) {
    await settings.getByRole('button', { name: 'New code' }).click()
    await settings.getByRole('group', { name: /Make a new code/ }).getByRole('button').first().click()
    await expect(settings.locator('.join-code-value')).not.toHaveText(before ?? '')
  } else {
    await settings.getByRole('button', { name: 'Make a join code' }).click()
  }
  const code = ((await settings.locator('.join-code-value').textContent()) ?? '').replace('-', '')
  const field = settings.getByRole('textbox', { name: 'Invite link' })
  await expect(field).toHaveValue(new RegExp(`^messenger://join\\?server=.*&code=${code}$`))
  await expect(settings.getByRole('button', { name: 'Copy invite link' })).toBeEnabled()
  const link = await field.inputValue()
  await settings.getByRole('button', { name: 'Close' }).click()
  return link
}

test('Carol joins through the invite link; after the code is replaced the old link fails clearly; signed out, a link leads through sign-up into the group', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const carol = await messenger.user('Carol')
  const dan = await messenger.user('Dan')
  await createGroup(alice.page, 'Design team', [])
  const first = await inviteLink(alice, false)

  // Carol's app is opened with the link: the join dialog, with the code filled in.
  carol.client.core.events.emit('open', { invite: first })
  const join = carol.page.getByRole('dialog', { name: 'Join a group' })
  await expect(join).toBeVisible()
  await join.getByRole('button', { name: 'Join', exact: true }).click()
  await expect(join).toBeHidden()
  await expect(conversationTitle(carol.page)).toHaveText('Design team')

  // Alice replaces the code: the first link no longer lets anyone in, and Dan is told why.
  const second = await inviteLink(alice, true)
  expect(second).not.toBe(first)
  dan.client.core.events.emit('open', { invite: first })
  const danJoin = dan.page.getByRole('dialog', { name: 'Join a group' })
  await danJoin.getByRole('button', { name: 'Join', exact: true }).click()
  await expect(danJoin.getByRole('alert')).toHaveText(
    'This invite link no longer works: the group’s code was replaced or turned off. Ask a group admin for a new link.'
  )
  await expect(sidebarRow(dan.page, 'Design team')).toHaveCount(0)

  // Erin has no account yet: the new link fills the first-run screen, and signing up lands her in the group.
  const erin = await messenger.user('Erin', { signUp: false })
  erin.client.core.events.emit('open', { invite: second })
  await expect(erin.page.getByLabel('Server address or invite link')).toHaveValue(second)
  await signUpInUi(erin.page, second, 'erin', 'Erin')
  await expect(conversationTitle(erin.page)).toHaveText('Design team')
})
