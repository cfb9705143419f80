// Theme and text size, chosen in the app (Profile → Appearance): applied at
// once, kept on this computer by the client core, and applied before the
// first paint when the window opens again.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

const DARK_BG = 'rgb(24, 25, 26)'
const LIGHT_BG = 'rgb(255, 255, 255)'

const background = (page: Page): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor)

test('light, dark or the system’s theme and a text size, kept and applied before the first paint', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const { page } = alice
  // By default the theme follows the system, live.
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => background(page)).toBe(DARK_BG)
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(() => background(page)).toBe(LIGHT_BG)

  await page.getByRole('button', { name: 'Your profile and settings' }).click()
  const profile = page.getByRole('dialog', { name: 'Profile' })
  await expect(profile.getByRole('radio', { name: 'Same as the system' })).toBeChecked()
  await profile.getByRole('radio', { name: 'Dark' }).check()
  // Dark although the system is light.
  await expect.poll(() => background(page)).toBe(DARK_BG)
  const newChat = page.getByRole('button', { name: 'New chat' })
  const before = (await newChat.boundingBox())!.height
  await profile.getByLabel('Text size').selectOption('Larger')
  await expect.poll(async () => (await newChat.boundingBox())!.height).toBeGreaterThan(before * 1.2)
  await profile.getByRole('button', { name: 'Close', exact: true }).click()

  // Opened again: the choice is there before the app's code runs (no light flash), noted when <body> is parsed.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.body) return
      ;(window as unknown as { themeAtBody: string | undefined }).themeAtBody = document.documentElement.dataset['theme']
      observer.disconnect()
    }).observe(document, { childList: true, subtree: true })
  })
  await page.reload()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { themeAtBody?: string }).themeAtBody)).toBe('dark')
  expect(await background(page)).toBe(DARK_BG)

  // Kept by the app on this computer, not only by the page: a fresh browser profile gets it too.
  const other = await alice.context.browser()!.newContext({ viewport: { width: 1200, height: 760 }, colorScheme: 'light' })
  try {
    const fresh = await other.newPage()
    await fresh.goto(alice.host.url)
    await expect(fresh.getByRole('button', { name: 'New chat' })).toBeVisible()
    await expect.poll(() => background(fresh)).toBe(DARK_BG)
    await expect(fresh.locator('html')).toHaveAttribute('data-text-size', 'larger')
    // Back to the system's theme: light again, as the system is.
    await fresh.getByRole('button', { name: 'Your profile and settings' }).click()
    await fresh.getByRole('dialog', { name: 'Profile' }).getByRole('radio', { name: 'Same as the system' }).check()
    await expect.poll(() => background(fresh)).toBe(LIGHT_BG)
  } finally {
    await other.close()
  }
})
