// Issue 21 item 6 as people use it: Alice (the group's admin) makes a webhook
// in the group settings and copies its URL; a program posts { text, username }
// to it; Bob sees the message under that name with the BOT badge; Alice
// revokes the webhook in the app's confirm dialog and the next post is refused.
import { createGroup, expect, messageRows, openConversation, test } from './fixtures'

test('a group admin makes a webhook, a program posts through it as a bot, and after revoking a post is refused', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Builds', ['Bob'])
  await openConversation(bob.page, 'Builds')

  await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await alice.page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Settings' }).click()
  const settings = alice.page.getByRole('dialog', { name: 'Group settings' })
  await settings.getByRole('textbox', { name: 'Webhook name' }).fill('CI server')
  await settings.getByRole('button', { name: 'Create webhook' }).click()
  await expect(settings.getByText('Copy this URL now: it is shown only once.')).toBeVisible()
  const field = settings.getByRole('textbox', { name: 'Webhook URL' })
  await expect(field).toHaveValue(/\/api\/v1\/hooks\/[A-Za-z0-9_-]{32}$/)
  await settings.getByRole('button', { name: 'Copy URL' }).click()
  await expect(settings.getByText('Copied')).toBeVisible()
  const url = await alice.page.evaluate(() => navigator.clipboard.readText())
  expect(url).toBe(await field.inputValue())
  await expect(settings.getByRole('list', { name: 'Webhooks' }).getByText('CI server')).toBeVisible()

  const posted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Build 42 passed', username: 'Jenkins' }) })
  expect(posted.status).toBe(201)
  const row = messageRows(bob.page, 'Build 42 passed')
  await expect(row).toBeVisible()
  await expect(row.locator('.message-sender')).toHaveText(/^JenkinsBOT$/)
  await expect(row.locator('.bot-badge')).toHaveText('BOT')

  await settings.getByRole('button', { name: 'Revoke webhook CI server' }).click()
  await alice.page.getByRole('alertdialog', { name: 'Revoke webhook CI server?' }).getByRole('button', { name: 'Revoke' }).click()
  await expect(settings.getByText('No webhooks yet.')).toBeVisible()
  const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'after revoke' }) })
  expect(refused.status).toBe(404)
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_found')
})
