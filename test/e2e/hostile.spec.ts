// Message text is text: HTML and script-like links never become markup or
// run; only http(s) addresses become links, which do not leak the app's address.
import type { Page } from '@playwright/test'
import { expect, messageLog, messageRows, openConversation, send, startDirectChat, test } from './fixtures'

const HTML = '<img src=x onerror="window.__pwned=1">'
const SCRIPT_LINK = 'click javascript:alert(1) now'
const MARKDOWN_LINK = '[docs](javascript:window.__pwned=2)'
const GOOD_LINK = 'notes at https://example.com/notes?id=7 today'

async function expectInert(page: Page): Promise<void> {
  const log = messageLog(page)
  // Each shows as the very text that was sent; a Markdown link to a script shows its words only.
  for (const text of [HTML, SCRIPT_LINK]) {
    await expect(messageRows(page, text).locator('.message-text')).toHaveText(text)
  }
  await expect(messageRows(page, 'docs').locator('.message-text')).toHaveText('docs')
  await expect(log.locator('img')).toHaveCount(0)
  await expect(log.locator('script, iframe, object, embed')).toHaveCount(0)
  await expect(log.locator('a[href^="javascript:" i]')).toHaveCount(0)
  await expect(log.locator('[onerror]')).toHaveCount(0)
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()

  // The one real address is a link, opened elsewhere without a referrer.
  const links = log.locator('a')
  await expect(links).toHaveCount(1)
  const link = messageRows(page, GOOD_LINK).getByRole('link', { name: 'https://example.com/notes?id=7' })
  await expect(link).toHaveAttribute('href', 'https://example.com/notes?id=7')
  await expect(link).toHaveAttribute('rel', /\bnoreferrer\b/)
  await expect(link).toHaveAttribute('target', '_blank')
}

test('HTML and javascript: links in a message render as text; an https address becomes a safe link', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  for (const text of [HTML, SCRIPT_LINK]) await send(alice.page, text)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill(MARKDOWN_LINK)
  await box.press('Enter')
  await expect(messageRows(alice.page, 'docs')).toBeVisible()
  await send(alice.page, GOOD_LINK)

  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, GOOD_LINK)).toBeVisible()
  await expectInert(bob.page)
  await expectInert(alice.page)

  // In the sidebar preview and the search results too.
  await expect(bob.page.locator('.sidebar img')).toHaveCount(0)
  await bob.page.getByRole('button', { name: 'Search messages' }).click()
  const search = bob.page.getByRole('dialog', { name: 'Search messages' })
  await search.getByLabel('Search for').fill('onerror')
  await expect(search.getByRole('list', { name: 'Results' })).toContainText(HTML)
  await expect(search.locator('img')).toHaveCount(0)
  expect(await bob.page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
})
