// The window's language: the system's (here the browser's) when it is one the
// window has, with an override in Profile → Appearance that applies at once,
// is kept by the app on this computer, and survives a reload. Errors from the
// server are shown from their codes, in the window's language.
import { expect, PASSWORD, test } from './fixtures'

test('German from the system language, English by choice at once and after a reload, back to the system’s', async ({ messenger }) => {
  const anna = await messenger.user('Anna', { signUp: false, locale: 'de-DE' })
  const { page } = anna
  await expect(page.locator('html')).toHaveAttribute('lang', 'de')
  await expect(page.getByRole('heading', { name: 'Wähl deinen Server' })).toBeVisible()

  await page.getByLabel('Serveradresse oder Einladungslink').fill(messenger.serverUrl)
  await page.getByRole('button', { name: 'Weiter' }).click()
  // A refusal from the server, in words from its code.
  await page.getByRole('tab', { name: 'Anmelden' }).click()
  await page.getByLabel('Benutzername').fill('anna')
  await page.getByLabel('Passwort').fill(PASSWORD)
  await page.getByRole('button', { name: 'Anmelden' }).click()
  await expect(page.getByRole('alert')).toHaveText('Benutzername oder Passwort ist falsch.')

  await page.getByRole('tab', { name: 'Konto erstellen' }).click()
  await page.getByLabel('Dein Name (wie andere ihn sehen)').fill('Anna')
  await page.getByRole('button', { name: 'Konto erstellen' }).click()
  await page.getByRole('button', { name: 'Neue Gruppe' }).click()
  await page.getByLabel('Gruppenname').fill('Team')
  await page.getByRole('button', { name: 'Gruppe erstellen' }).click()
  await expect(page.getByRole('log', { name: 'Nachrichten' })).toBeVisible()
  const log = page.getByRole('log')
  await expect(log.getByText('Anna hat die Gruppe „Team“ erstellt')).toBeVisible()
  await expect(log.getByRole('separator').filter({ hasText: 'Heute' })).toBeVisible()
  await expect(page.getByTestId('conversation-subtitle')).toHaveText('1 Mitglied')

  // English by choice: the window changes at once, the open dialog included.
  await page.getByRole('button', { name: /dein Profil und deine Einstellungen/ }).click()
  await page.getByRole('dialog', { name: 'Profil' }).getByLabel('Sprache').selectOption('English')
  const profile = page.getByRole('dialog', { name: 'Profile' })
  await expect(profile.getByLabel('Language')).toHaveValue('en')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expect(log.getByText('Anna created the group “Team”')).toBeVisible()
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible()
  await expect(log.getByRole('separator').filter({ hasText: 'Today' })).toBeVisible()
  await expect(page.getByTestId('conversation-subtitle')).toHaveText('1 member')
  await profile.getByRole('button', { name: 'Close', exact: true }).click()

  // After a reload, still English although the system says German.
  await page.reload()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')

  // Kept by the app on this computer, not only by the page: a fresh German browser profile gets English too.
  const other = await anna.context.browser()!.newContext({ viewport: { width: 1200, height: 760 }, locale: 'de-DE' })
  try {
    const fresh = await other.newPage()
    await fresh.goto(anna.host.url)
    await expect(fresh.getByRole('button', { name: 'New chat' })).toBeVisible()
    // Back to the system's language: German again, at once.
    await fresh.getByRole('button', { name: /your profile and settings/ }).click()
    await fresh.getByRole('dialog', { name: 'Profile' }).getByLabel('Language').selectOption('System')
    await expect(fresh.getByRole('button', { name: 'Neuer Chat' })).toBeVisible()
    await expect(fresh.locator('html')).toHaveAttribute('lang', 'de')
  } finally {
    await other.close()
  }
})
