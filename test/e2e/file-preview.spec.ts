// Files wait in a preview before they go: Alice drops two, removes one,
// writes a caption and sends; Bob gets one message with the caption and the
// one file. Cancel sends nothing.
import type { Page } from '@playwright/test'
import { expect, messageLog, messageRows, openConversation, send, startDirectChat, test } from './fixtures'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

async function drop(page: Page, files: Array<{ name: string; type: string; text: string }>): Promise<void> {
  await page.getByRole('region', { name: 'Open conversation' }).evaluate((el, list) => {
    const data = new DataTransfer()
    for (const f of list) data.items.add(new File([f.text], f.name, { type: f.type }))
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }))
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
  }, files)
}

test('two dropped files, one removed, a caption: Bob gets one message with the caption and one file', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await alice.page.getByRole('textbox', { name: 'Write a message' }).fill('the agenda')
  await drop(alice.page, [
    { name: 'agenda.txt', type: 'text/plain', text: '1. budget\n' },
    { name: 'old-agenda.txt', type: 'text/plain', text: 'outdated' }
  ])
  await expect(alice.page.getByRole('dialog', { name: 'Send 2 files' })).toBeVisible()
  const dialog = alice.page.getByRole('dialog', { name: /^Send (a file|\d+ files)$/ })
  const list = dialog.getByRole('list', { name: 'Files to send' })
  await expect(list.getByRole('listitem')).toHaveCount(2)
  await expect(list.getByRole('listitem').first()).toContainText('agenda.txt')
  await expect(list.getByRole('listitem').first()).toContainText('10 B')
  // What was written in the box is the caption, ready to change.
  const caption = dialog.getByRole('textbox', { name: 'Caption' })
  await expect(caption).toBeFocused()
  await expect(caption).toHaveValue('the agenda')

  await dialog.getByRole('button', { name: 'Remove old-agenda.txt' }).click()
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(dialog).toHaveAccessibleName('Send a file')
  await caption.fill('the agenda for Monday')
  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(alice.page.getByRole('textbox', { name: 'Write a message' })).toHaveValue('')

  await openConversation(bob.page, 'Alice')
  const rows = messageRows(bob.page, 'the agenda for Monday')
  await expect(rows).toHaveCount(1)
  await expect(rows.getByText('agenda.txt')).toBeVisible()
  await expect(messageLog(bob.page).getByText('old-agenda.txt')).toHaveCount(0)
})

test('a chosen file and a pasted image show in the preview; Cancel (Esc) sends nothing', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await alice.page.getByTestId('attach-input').setInputFiles([{ name: 'secret.txt', mimeType: 'text/plain', buffer: Buffer.from('not for Bob') }])
  const dialog = alice.page.getByRole('dialog', { name: 'Send a file' })
  await expect(dialog.getByText('secret.txt')).toBeVisible()
  // A pasted screenshot joins the same preview, with its thumbnail.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await box.evaluate((el, bytes) => {
    const data = new DataTransfer()
    data.items.add(new File([new Uint8Array(bytes)], '', { type: 'image/png' }))
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, [...PNG])
  const pasted = alice.page.getByRole('dialog', { name: 'Send a file' })
  await expect(pasted.getByRole('img', { name: 'Preview of pasted image.png' })).toHaveAttribute('src', /^data:image\/jpeg;base64,/)
  await alice.page.keyboard.press('Escape')
  await expect(pasted).toBeHidden()

  // What goes next is the only message Bob gets.
  await send(alice.page, 'after cancelling')
  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, 'after cancelling')).toBeVisible()
  await expect(messageLog(bob.page).locator('[data-seq]')).toHaveCount(1)
  await expect(messageLog(alice.page).locator('[data-seq]')).toHaveCount(1)
})
