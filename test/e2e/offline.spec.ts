// The server goes away: a message written meanwhile waits, shows as
// pending, and is delivered exactly once when the server is back.
import { expect, expectOnline, messageRows, messageTexts, openConversation, pendingRows, send, startDirectChat, test } from './fixtures'

test('a message written while the server is down is delivered once when it is back', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Before the outage')
  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, 'Before the outage')).toBeVisible()

  await messenger.stopServer()
  // The connection bar: role=status, and data-connection says the state.
  const bar = alice.page.getByRole('status').and(alice.page.locator('[data-connection]'))
  // Offline (between attempts) or reconnecting (during one): never online.
  await expect(bar).toHaveAttribute('data-connection', /^(offline|reconnecting)$/)
  await expect(bob.page.locator('[data-connection]')).toHaveAttribute('data-connection', /^(offline|reconnecting)$/)

  const text = 'Written while the server was down'
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill(text)
  await box.press('Enter')
  await expect(box).toHaveValue('')
  await expect(pendingRows(alice.page, text)).toBeVisible()
  await expect(pendingRows(alice.page, text).getByLabel('Sending')).toBeVisible()
  await expect(messageRows(alice.page, text)).toHaveCount(0)
  await expect(bar).toContainText('1 message waiting to send')
  await expect(bar).toHaveAttribute('data-connection', 'offline')
  await expect(bar).toContainText('Offline')

  await messenger.restartServer()
  // Not waiting for the back-off: the user presses "Retry now" if it is there.
  const retry = alice.page.getByRole('button', { name: 'Retry now' })
  if (await retry.isVisible()) await retry.click({ timeout: 5_000 }).catch(() => undefined) // gone already: reconnected
  await expectOnline(alice.page)
  await expectOnline(bob.page)

  await expect(messageRows(bob.page, text)).toHaveCount(1)
  await expect(messageRows(alice.page, text)).toHaveCount(1)
  await expect(pendingRows(alice.page, text)).toHaveCount(0)
  await expect(messageRows(alice.page, text).locator('[data-ticks]')).toHaveAttribute('data-ticks', /^(delivered|read)$/)
  // Exactly once on each side, in order. The outbox sends in order, so once a later
  // message has arrived, a second copy of the queued one can no longer come.
  await send(alice.page, 'After the outage')
  await expect(messageRows(bob.page, 'After the outage')).toBeVisible()
  const all = ['Before the outage', text, 'After the outage']
  await expect(messageTexts(alice.page)).toHaveText(all)
  await expect(messageTexts(bob.page)).toHaveText(all)
})
