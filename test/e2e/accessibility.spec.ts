// axe-core on every main screen and dialog, in the light and the dark theme:
// no serious or critical violation (colour contrast, names that contain the
// visible text, labels, roles). One page per person; each theme is chosen in
// the app (Profile → Appearance), or comes from the system on the first-run
// screen, and the dialogs are opened in turn on the same page.
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { TEST_HOSTING } from '../helpers/hosting'
import { chooseServer, conversationTitle, expect, messageMenuItem, messageRows, openConversation, send, startDirectChat, test, type User } from './fixtures'

type Theme = 'light' | 'dark'

/** Every serious or critical violation on the page as it is now, one line each (soft: every screen is checked). */
async function expectAccessible(page: Page, screen: string, theme: Theme): Promise<void> {
  // Transitions would leave colours half-way when axe reads them.
  const results = await new AxeBuilder({ page }).analyze()
  const found = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`))
  expect.soft(found, `${screen}, ${theme}`).toEqual([])
}

/** Opens a dialog, checks it, and closes it with its Close button. */
async function checkDialog(page: Page, name: string, theme: Theme, open: () => Promise<void>, ready?: (dialog: Locator) => Promise<void>): Promise<void> {
  await open()
  const dialog = page.getByRole('dialog', { name })
  await expect(dialog).toBeVisible()
  await ready?.(dialog)
  await expectAccessible(page, `${name} dialog`, theme)
  await dialog.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(dialog).toBeHidden()
}

async function chooseTheme(page: Page, theme: Theme): Promise<void> {
  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  const profile = page.getByRole('dialog', { name: 'Profile' })
  await profile.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
  await profile.getByRole('button', { name: 'Close', exact: true }).click()
}

async function checkMainScreens(alice: User, bob: User, theme: Theme): Promise<void> {
  const { page } = alice
  await chooseTheme(page, theme)
  await openConversation(page, bob.name)
  await expect(messageRows(page, 'the plan')).toBeVisible()
  await expectAccessible(page, 'main window, a chat open', theme)

  const sidebar = page.getByRole('complementary', { name: 'Conversations' })
  await checkDialog(page, 'New chat', theme, () => sidebar.getByRole('button', { name: 'New chat' }).click(), async (d) => {
    await d.getByLabel('Find a person').fill(bob.username)
    await expect(d.getByRole('button', { name: `Chat with ${bob.name}` })).toBeVisible()
  })
  await checkDialog(page, 'New group', theme, () => sidebar.getByRole('button', { name: 'New group' }).click(), async (d) => {
    await d.getByLabel('Group name').fill('Ops')
    await d.getByLabel('Add people').fill(bob.username)
    await expect(d.getByRole('button', { name: `Add ${bob.name}` })).toBeVisible()
  })
  await checkDialog(page, 'Public rooms', theme, () => sidebar.getByRole('button', { name: 'Rooms' }).click(), async (d) => {
    await expect(d.getByRole('button', { name: /lobby/ })).toBeVisible()
  })
  await checkDialog(page, 'Join a group', theme, () => sidebar.getByRole('button', { name: 'Join' }).click())
  await checkDialog(page, 'Contacts', theme, () => page.getByRole('button', { name: 'Contacts and invitations' }).click(), async (d) => {
    await expect(d.getByRole('list', { name: 'Your contacts' })).not.toHaveAttribute('aria-busy', 'true')
  })
  await checkDialog(page, 'Profile', theme, () => page.getByRole('button', { name: 'Your profile and settings' }).click())
  await checkDialog(page, 'Search messages', theme, () => page.getByRole('button', { name: 'Search messages' }).click(), async (d) => {
    await d.getByLabel('Search for').fill('plan')
    await d.getByLabel('Search for').press('Enter')
    await expect(d.getByRole('list', { name: 'Results' })).toBeVisible()
  })
  await checkDialog(page, 'Server administration', theme, () => page.getByRole('button', { name: 'Server administration' }).click(), async (d) => {
    await expect(d.getByText(`@${bob.username}`).first()).toBeVisible()
  })
  await checkDialog(page, 'Host a server', theme, async () => {
    await page.getByRole('button', { name: 'Your profile and settings' }).click()
    await page.getByRole('button', { name: 'Host a server…' }).click()
  })
  await checkDialog(page, 'Message info', theme, async () => {
    const row = messageRows(page, 'the plan')
    await row.hover()
    await row.getByRole('button', { name: 'More actions' }).click()
    await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Info' }).click()
  }, async (d) => {
    await expect(d.getByRole('region', { name: 'Read by' })).toContainText(bob.name)
  })

  // The message menu, the full emoji picker from it, and the composer's (issue 20).
  const row = messageRows(page, 'the plan')
  await row.hover()
  await row.getByRole('button', { name: 'More actions' }).click()
  const menu = page.getByRole('menu', { name: 'Message actions' })
  await expect(menu).toBeVisible()
  await expectAccessible(page, 'message menu', theme)
  await menu.getByRole('menuitem', { name: 'React…' }).click()
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' })
  await expect(picker.getByRole('combobox', { name: 'Search for an emoji' })).toBeFocused()
  await expectAccessible(page, 'reaction picker', theme)
  await page.keyboard.press('Escape')
  await expect(picker).toBeHidden()
  await page.getByRole('button', { name: 'Insert emoji' }).click()
  await expect(picker).toBeVisible()
  await expectAccessible(page, 'composer emoji picker', theme)
  await page.getByRole('button', { name: 'Insert emoji' }).click()
  await expect(picker).toBeHidden()

  await openConversation(page, 'Design team')
  await checkDialog(page, 'Group settings', theme, () => page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click(), async (d) => {
    await expect(d.getByRole('heading', { name: '2 members' })).toBeVisible()
  })
  // Issue 20 (pins): the pins list and the saved list, each holding one message (pinned and saved in the first run).
  await openConversation(page, bob.name)
  const plan = messageRows(page, 'the plan')
  if (theme === 'light') {
    await messageMenuItem(page, 'the plan', 'Pin')
    await messageMenuItem(page, 'the plan', 'Save')
    await expect(plan.getByText('Pinned', { exact: true })).toBeVisible()
  }
  await checkDialog(page, 'Pinned messages', theme, () => page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: /^Pinned messages: / }).click(), async (d) => {
    await expect(d.getByRole('listitem')).toHaveCount(1)
  })
  await checkDialog(page, 'Saved messages', theme, () => sidebar.getByRole('button', { name: 'Saved messages' }).click(), async (d) => {
    await expect(d.getByRole('listitem')).toHaveCount(1)
  })
}

test('no serious or critical axe violation on any screen or dialog, light and dark', async ({ messenger }) => {
  test.setTimeout(180_000)
  // The first-run screens, in the system's light and dark (the default theme follows it).
  const carol = await messenger.user('Carol', { signUp: false })
  for (const theme of ['light', 'dark'] as const) {
    await carol.page.emulateMedia({ colorScheme: theme })
    await expect(carol.page.getByLabel('Server address or invite link')).toBeVisible()
    await expectAccessible(carol.page, 'first run', theme)
    await chooseServer(carol.page, messenger.serverUrl)
    await expect(carol.page.getByRole('tab', { name: 'Sign in' })).toBeVisible()
    await expectAccessible(carol.page, 'sign in', theme)
    await carol.page.getByRole('tab', { name: 'Create account' }).click()
    await expectAccessible(carol.page, 'create account', theme)
    await carol.page.getByRole('button', { name: 'Change server' }).click()
  }
  await carol.quit()

  const alice = await messenger.user('Alice Martin', { username: 'alice', hosting: TEST_HOSTING })
  const bob = await messenger.user('Bob Stone', { username: 'bob' })
  // A chat with a link in each one's bubbles, a reply and a read tick; a group; a room.
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Here is the plan: https://example.com/plan')
  await openConversation(bob.page, alice.name)
  await send(bob.page, 'Thanks, see https://example.com/notes too')
  await expect(messageRows(alice.page, 'the plan').locator('[data-ticks]')).toHaveAttribute('data-ticks', 'read')
  await alice.page.getByRole('button', { name: 'New group' }).click()
  const newGroup = alice.page.getByRole('dialog', { name: 'New group' })
  await newGroup.getByLabel('Group name').fill('Design team')
  await newGroup.getByLabel('Add people').fill(bob.username)
  await newGroup.getByRole('button', { name: `Add ${bob.name}` }).click()
  await newGroup.getByRole('button', { name: 'Create group' }).click()
  await expect(conversationTitle(alice.page)).toHaveText('Design team')
  await send(alice.page, 'Welcome, everyone')
  await bob.page.getByRole('button', { name: 'Rooms' }).click()
  const rooms = bob.page.getByRole('dialog', { name: 'Public rooms' })
  await rooms.getByLabel('Enter a room name to create or join').fill('lobby')
  await rooms.getByRole('button', { name: 'Enter' }).click()
  await expect(conversationTitle(bob.page)).toHaveText('lobby')

  for (const theme of ['light', 'dark'] as const) await checkMainScreens(alice, bob, theme)
})
