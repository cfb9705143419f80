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
  await settings.getByRole('textbox', { name: 'New webhook' }).fill('CI server')
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

test('a server admin makes a bot for a group and a token shown once; the bot posts with it and Bob sees the BOT badge', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Printers', ['Bob'])
  await openConversation(bob.page, 'Printers')

  await alice.page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('tab', { name: 'Bots' }).click()
  await dialog.getByRole('textbox', { name: 'Username' }).fill('laser')
  await dialog.getByRole('textbox', { name: 'Display name' }).fill('Laser printer')
  await dialog.getByRole('group', { name: 'Conversations it may use' }).first().getByRole('checkbox', { name: 'Printers' }).check()
  await dialog.getByRole('button', { name: 'Create bot' }).click()
  const bot = dialog.getByRole('list', { name: 'Bots' }).getByRole('listitem').filter({ hasText: 'Laser printer' })
  await expect(bot).toContainText('0 tokens')
  await expect(bot.getByRole('checkbox', { name: 'Printers' })).toBeChecked()
  await bot.getByRole('button', { name: 'Make token' }).click()
  const secret = await bot.getByRole('textbox', { name: 'Bot token' }).inputValue()
  expect(secret).toMatch(/^mbot_/)
  await expect(bot).toContainText('1 token')

  const group = (await alice.client.call('conversations.list')).find((c) => c.title === 'Printers')!
  const sent = await fetch(`${messenger.serverUrl}/api/v1/conversations/${group.id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ clientId: crypto.randomUUID(), text: 'Toner low' })
  })
  expect(sent.status).toBe(201)
  const row = messageRows(bob.page, 'Toner low')
  await expect(row.locator('.message-sender')).toHaveText(/^Laser printerBOT$/)
})
