// Formatting as two people see it: Alice writes Markdown (bold, a code
// block, a list) and uses Ctrl+B on a selection; Bob sees it formatted, and
// a link with a script address stays text.
import AxeBuilder from '@axe-core/playwright'
import { expect, messageLog, openConversation, startDirectChat, test } from './fixtures'

test('bold, a code block and a list sent by Alice are formatted for Bob', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill('**Deploy** tonight:\n```ts\nconst answer: number = 42\n```\n- backup first\n- then migrate')
  await box.press('Enter')
  await expect(box).toHaveValue('')

  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'Deploy tonight' })
  await expect(row.locator('strong')).toHaveText('Deploy')
  await expect(row.getByText('**')).toHaveCount(0)
  const code = row.locator('pre code.hljs')
  await expect(code).toHaveText('const answer: number = 42')
  await expect(code.locator('.hljs-keyword')).toHaveText('const')
  await bob.context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await row.locator('pre').hover()
  await row.getByRole('button', { name: 'Copy code' }).click()
  await expect(row.getByRole('button', { name: 'Copied.' })).toBeVisible()
  expect(await bob.page.evaluate(() => navigator.clipboard.readText())).toBe('const answer: number = 42')
  await expect(row.getByRole('listitem')).toHaveText(['backup first', 'then migrate'])
})

test('Ctrl+B wraps the selection in bold, the toolbar says so, and Bob sees it bold', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill('make this bold')
  await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 14))
  await box.press('Control+b')
  await expect(box).toHaveValue('make this **bold**')
  const toolbar = alice.page.getByRole('group', { name: 'Formatting' })
  await expect(toolbar.getByRole('button', { name: 'Bold' })).toHaveAttribute('aria-pressed', 'true')
  // The toolbar does the same: italic around the same selection, by keyboard.
  await toolbar.getByRole('button', { name: 'Italic' }).click()
  await expect(box).toHaveValue('make this **_bold_**')
  await expect(box).toBeFocused()
  await box.press('Enter')
  await expect(box).toHaveValue('')

  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'make this bold' })
  await expect(row.locator('strong em')).toHaveText('bold')
})

test('a Markdown link to a script address is text, an https one a link opened outside', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill('[trap](javascript:window.__pwned=1) and [handbook](https://example.org/handbook)')
  await box.press('Enter')

  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'trap and handbook' })
  await expect(row.getByRole('link')).toHaveCount(1)
  await expect(row.getByRole('link', { name: 'handbook' })).toHaveAttribute('href', 'https://example.org/handbook')
  await expect(row.getByRole('link', { name: 'handbook' })).toHaveAttribute('target', '_blank')
  await row.getByText('trap').click()
  expect(await bob.page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
})

test('a mention is a chip with the current name, stronger for the one mentioned; formatting passes axe in light and dark', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const session = await bob.client.call('session.get')
  if (session.status !== 'signed_in') throw new Error('Bob is signed in')
  const [chat] = await alice.client.call('conversations.list')
  // As the composer sends a mention (the text says @username, the ids go with it).
  await alice.client.call('messages.send', {
    conversationId: chat!.id,
    text: '@bob please check `deploy.sh`:\n```bash\n# safe to re-run\nexport MODE="prod"\n```\n> from the runbook',
    mentions: [session.me.id]
  })

  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'please check' })
  await expect(row.locator('.mention.mention--me')).toHaveText('@Bob')
  await expect(messageLog(alice.page).locator('.mention')).toHaveText('@Bob')
  await expect(messageLog(alice.page).locator('.mention--me')).toHaveCount(0)

  for (const theme of ['light', 'dark'] as const) {
    await bob.page.emulateMedia({ colorScheme: theme })
    await row.hover()
    const results = await new AxeBuilder({ page: bob.page }).include('[role="log"]').analyze()
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    expect(serious, theme).toEqual([])
  }
})
