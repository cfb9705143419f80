// The main screens in light and dark, saved to docs/screenshots/ for the
// documentation (rewritten on every run; names and texts are fixed so only
// the clock times change).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import {
  conversationTitle,
  createGroup,
  expect,
  expectOnline,
  messageRows,
  openConversation,
  send,
  sidebarRow,
  signUpInUi,
  startDirectChat,
  test
} from './fixtures'

const DIR = join(__dirname, '../../docs/screenshots')

/** `${name}-light.png` and `${name}-dark.png` of the whole window, nothing hovered. */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true })
  await page.mouse.move(1199, 759)
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(DIR, `${name}-${scheme}.png`), animations: 'disabled', caret: 'hide' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** Hover a message and press one of its buttons (Reply, React, …). */
async function messageAction(row: Locator, action: string): Promise<void> {
  await row.hover()
  await row.getByRole('button', { name: action, exact: true }).click()
}

test('screenshots of the main screens, light and dark', async ({ messenger }) => {
  const alice = await messenger.user('Alice Martin', { username: 'alice', signUp: false })
  await expect(alice.page.getByRole('button', { name: 'Continue' })).toBeVisible()
  await shoot(alice.page, 'first-run')

  await signUpInUi(alice.page, messenger.serverUrl, alice.username, alice.name)
  const bob = await messenger.user('Bob Stone', { username: 'bob' })
  const carol = await messenger.user('Carol Diaz', { username: 'carol' })

  // A chat with a reply, a reaction and read ticks.
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Morning! Are we still on for the design review at 10?')
  await openConversation(bob.page, 'Alice Martin')
  await messageAction(messageRows(bob.page, 'design review at 10'), 'Reply')
  await expect(bob.page.getByText('Replying to Alice Martin')).toBeVisible()
  await send(bob.page, 'Yes! I will bring the new mockups.')
  await send(bob.page, 'Room 2 is free, shall we use that one?')
  await expect(messageRows(alice.page, 'Room 2 is free')).toBeVisible()
  await messageAction(messageRows(alice.page, 'new mockups'), 'React with 👍')
  await expect(messageRows(bob.page, 'new mockups').getByRole('button', { name: /^👍 1/ })).toBeVisible()
  await send(alice.page, 'Perfect, see you in room 2 👋')
  await expect(messageRows(bob.page, 'see you in room 2')).toBeVisible()
  await expect(messageRows(alice.page, 'see you in room 2').locator('[data-ticks]')).toHaveAttribute('data-ticks', 'read')
  await expect(messageRows(alice.page, 'design review at 10').locator('[data-ticks]')).toHaveAttribute('data-ticks', 'read')

  // A group, for the sidebar and its settings.
  await alice.page.getByRole('button', { name: 'New group' }).click()
  const newGroup = alice.page.getByRole('dialog', { name: 'New group' })
  await newGroup.getByLabel('Group name').fill('Design team')
  for (const person of [bob, carol]) {
    await newGroup.getByLabel('Add people').fill(person.username)
    await newGroup.getByRole('button', { name: `Add ${person.name}` }).click()
  }
  await expect(newGroup.getByText('Members (2)')).toBeVisible()
  await newGroup.getByRole('button', { name: 'Create group' }).click()
  await expect(conversationTitle(alice.page)).toHaveText('Design team')
  await send(alice.page, 'Mockups are in the shared folder.')
  await expect(sidebarRow(carol.page, 'Design team')).toBeVisible()

  await openConversation(alice.page, 'Bob Stone')
  // The list shows itself once it has scrolled to where it opens (until then visibility: hidden).
  await expect(messageRows(alice.page, 'design review at 10')).toBeVisible()
  await expect(messageRows(alice.page, 'see you in room 2')).toBeVisible()
  await expect(messageRows(alice.page, 'see you in room 2')).toBeInViewport()
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText('online')
  await expectOnline(alice.page)
  await shoot(alice.page, 'chat')

  await openConversation(alice.page, 'Design team')
  await expect(messageRows(alice.page, 'Mockups are in the shared folder.')).toBeVisible()
  await alice.page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click()
  const settings = alice.page.getByRole('dialog', { name: 'Group settings' })
  await expect(settings.getByRole('heading', { name: '3 members' })).toBeVisible()
  await expect(settings.getByText('No join code.')).toBeVisible()
  await shoot(alice.page, 'group-settings')
  await settings.getByRole('button', { name: 'Close' }).click()

  // A video call with Bob (the fake camera's test pattern on both tiles).
  await openConversation(alice.page, 'Bob Stone')
  await alice.page.getByTestId('call-start-video').click()
  await bob.page.getByTestId('incoming-call').getByTestId('call-accept-video').click()
  const tiles = alice.page.getByTestId('call-view').getByTestId('call-tile')
  await expect(tiles.and(alice.page.locator('[data-peer-connection="connected"]'))).toHaveCount(2)
  await expect(tiles.locator('video')).toHaveCount(2)
  await shoot(alice.page, 'call')
  await alice.page.getByTestId('call-leave').click()
  await expect(alice.page.getByTestId('call-view')).toBeHidden()
})

// i20-format: formatted messages (bold, code with colours, a list, a quote, a link) and the file preview.
test('screenshots of formatting and the file preview, light and dark', async ({ messenger }) => {
  const alice = await messenger.user('Alice Martin', { username: 'alice' })
  const bob = await messenger.user('Bob Stone', { username: 'bob' })
  await startDirectChat(alice.page, bob)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill('**Release 2.4** goes out _tonight_. Before that:\n- run the ~~old~~ new migration\n- check the [release notes](https://example.org/notes)')
  await box.press('Enter')
  await box.fill('The fix, for the record:\n```ts\n// retry once: the proxy drops idle sockets\nexport async function fetchAgain(url: string): Promise<Response> {\n  const res = await fetch(url)\n  return res.ok ? res : fetch(url)\n}\n```')
  await box.press('Enter')
  await openConversation(bob.page, 'Alice Martin')
  await expect(messageRows(bob.page, 'The fix, for the record').locator('.hljs-keyword').first()).toBeVisible()
  await bob.page.getByRole('textbox', { name: 'Write a message' }).fill('> run the new migration\n\nDone, `42 rows` moved. Shipping it 🚀')
  await bob.page.getByRole('textbox', { name: 'Write a message' }).press('Enter')
  await expect(messageRows(alice.page, 'Shipping it')).toBeVisible()
  await expect(messageRows(alice.page, 'Shipping it')).toBeInViewport()
  await alice.page.getByRole('textbox', { name: 'Write a message' }).fill('Great, **thanks**!')
  await shoot(alice.page, 'formatting')

  await alice.page.getByTestId('attach-input').setInputFiles([
    { name: 'release-notes.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_213) },
    { name: 'dashboard.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') }
  ])
  const preview = alice.page.getByRole('dialog', { name: 'Send 2 files' })
  await expect(preview.getByRole('img', { name: 'Preview of dashboard.png' })).toBeVisible()
  await shoot(alice.page, 'file-preview')
  await preview.getByRole('button', { name: 'Cancel' }).click()
})

// Issue 20 (mentions): the @ menu in the composer, and a mention as its reader sees it (chip and sidebar badge).
test('screenshots of mentions, light and dark', async ({ messenger }) => {
  const alice = await messenger.user('Alice Martin', { username: 'alice' })
  const bob = await messenger.user('Bob Stone', { username: 'bob' })
  await messenger.user('Bora Ekinci', { username: 'bora' })
  await createGroup(alice.page, 'Design team', ['Bob Stone', 'Bora Ekinci'])
  await send(alice.page, 'The new mockups are in the shared folder.')
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.click()
  await box.pressSequentially('@bo')
  await expect(alice.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option')).toHaveCount(2)
  await shoot(alice.page, 'mentions-autocomplete')

  await box.press('Enter')
  await box.pressSequentially('could you check the colours before @all see them?')
  await box.press('Enter')
  await expect(box).toHaveValue('')
  await expect(bob.page.getByTestId('mention-badge')).toBeVisible()
  await shoot(bob.page, 'mentions-badge')
  await openConversation(bob.page, 'Design team')
  await expect(messageRows(bob.page, 'check the colours').locator('.mention--me').first()).toBeVisible()
  await shoot(bob.page, 'mentions')
})

// Threads (issue 20, item 3): a root with its summary and the thread panel beside it; the Threads view.
test('screenshots of threads, light and dark', async ({ messenger }) => {
  const alice = await messenger.user('Alice Martin', { username: 'alice' })
  const bob = await messenger.user('Bob Stone', { username: 'bob' })
  const carol = await messenger.user('Carol Diaz', { username: 'carol' })
  await alice.page.getByRole('button', { name: 'New group' }).click()
  const newGroup = alice.page.getByRole('dialog', { name: 'New group' })
  await newGroup.getByLabel('Group name').fill('Design team')
  for (const person of [bob, carol]) {
    await newGroup.getByLabel('Add people').fill(person.username)
    await newGroup.getByRole('button', { name: `Add ${person.name}` }).click()
  }
  await newGroup.getByRole('button', { name: 'Create group' }).click()
  await expect(conversationTitle(alice.page)).toHaveText('Design team')
  await send(alice.page, 'Which font do we use for the new landing page?')
  await send(alice.page, 'Mockups are in the shared folder.')
  for (const [person, reply] of [
    [bob, 'Inter, as on the app.'],
    [carol, 'Agreed, with the heavier weight for titles.']
  ] as const) {
    await openConversation(person.page, 'Design team')
    await messageAction(messageRows(person.page, 'Which font'), 'Reply in thread')
    const box = person.page.getByRole('textbox', { name: 'Reply in the thread' })
    await box.fill(reply)
    await box.press('Enter')
    await expect(person.page.getByRole('list', { name: 'Replies' })).toContainText(reply)
  }
  const summary = messageRows(alice.page, 'Which font').getByTestId('thread-summary')
  await expect(summary).toContainText('2 replies')
  await expect(alice.page.getByRole('button', { name: 'Threads, 2 unread' })).toBeVisible()
  await alice.page.getByRole('button', { name: 'Threads, 2 unread' }).click()
  await expect(alice.page.getByTestId('followed-thread')).toContainText('2 unread')
  await shoot(alice.page, 'threads-view')
  await alice.page.getByTestId('followed-thread').click()
  await expect(alice.page.getByRole('list', { name: 'Replies' })).toContainText('heavier weight')
  await expect(summary).toBeVisible()
  await shoot(alice.page, 'thread')
})
