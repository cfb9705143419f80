// Files end to end in Chromium: Alice attaches a file and an image in the
// browser; Bob sees the image's thumbnail (and its full view) and downloads
// the file, verified, with the same bytes.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, messageLog, openConversation, sendPreviewedFiles, startDirectChat, test } from './fixtures'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

test('a file and an image sent in the browser are seen with a thumbnail and downloaded with the same bytes', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)

  const notes = Buffer.from('Minutes of the meeting\n'.repeat(2000))
  await alice.page.getByRole('textbox', { name: 'Write a message' }).fill('the minutes and a photo')
  await alice.page.getByTestId('attach-input').setInputFiles([
    { name: 'minutes.txt', mimeType: 'text/plain', buffer: notes },
    { name: 'dot.png', mimeType: 'image/png', buffer: PNG }
  ])
  await sendPreviewedFiles(alice.page)
  // Sent once both uploads are done: the message is on the server with its files.
  const sent = messageLog(alice.page).locator('[data-seq]').filter({ hasText: 'the minutes and a photo' })
  await expect(sent.getByText('minutes.txt')).toBeVisible()
  await expect(alice.page.getByRole('textbox', { name: 'Write a message' })).toHaveValue('')

  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'the minutes and a photo' })
  const thumbnail = row.getByRole('button', { name: 'View dot.png' })
  await expect(thumbnail.locator('img')).toHaveAttribute('src', /^data:image\/jpeg;base64,/)
  await thumbnail.click()
  const full = bob.page.getByRole('dialog', { name: 'dot.png' })
  await expect(full.locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/)
  await full.getByRole('button', { name: 'Close' }).click()
  await expect(full).toBeHidden()

  await row.getByRole('button', { name: 'Download minutes.txt' }).click()
  await expect(row.getByText('Saved as minutes.txt')).toBeVisible()
  const saved = await readFile(join((await bob.client.call('files.downloadDir')).directory, 'minutes.txt'))
  expect(saved.equals(notes)).toBe(true)
  // In the browser, "Open" hands the saved file to the browser's downloads.
  const [download] = await Promise.all([bob.page.waitForEvent('download'), row.getByRole('link', { name: 'Open' }).click()])
  expect(download.suggestedFilename()).toBe('minutes.txt')
  expect((await readFile(await download.path())).equals(notes)).toBe(true)
})

test('in the browser, a file dropped on the conversation and an image pasted into the composer are sent (after their preview)', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  const composer = alice.page.getByRole('textbox', { name: 'Write a message' })
  await composer.fill('pasted')
  // A screenshot on the clipboard is a File with no name (and, in Electron, no path).
  await composer.evaluate((el, bytes) => {
    const data = new DataTransfer()
    data.items.add(new File([new Uint8Array(bytes)], '', { type: 'image/png' }))
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, [...PNG])
  await sendPreviewedFiles(alice.page)
  const log = messageLog(alice.page)
  await expect(log.locator('[data-seq]').filter({ hasText: 'pasted' }).getByRole('button', { name: 'View pasted image.png' })).toBeVisible()

  await alice.page.getByRole('region', { name: 'Open conversation' }).evaluate((el) => {
    const data = new DataTransfer()
    data.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }))
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }))
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
  })
  await sendPreviewedFiles(alice.page)
  await expect(log.getByText('dropped.txt')).toBeVisible()
  await openConversation(bob.page, 'Alice')
  await expect(messageLog(bob.page).getByText('dropped.txt')).toBeVisible()
})

test('a download waiting for the server names its file on Pause and on Resume', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await alice.page.getByTestId('attach-input').setInputFiles([{ name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('1. budget\n') }])
  await sendPreviewedFiles(alice.page)
  await expect(messageLog(alice.page).locator('[data-seq]').getByText('agenda.txt')).toBeVisible()
  await openConversation(bob.page, 'Alice')
  const row = messageLog(bob.page).locator('[data-seq]').filter({ hasText: 'agenda.txt' })

  // The server goes away: the download waits, and can be paused and resumed by name.
  await messenger.stopServer()
  await row.getByRole('button', { name: 'Download agenda.txt' }).click()
  await row.getByRole('button', { name: 'Pause agenda.txt' }).click()
  const resume = row.getByRole('button', { name: 'Resume agenda.txt' })
  await expect(resume).toBeVisible()
  await messenger.restartServer()
  await resume.click()
  await expect(row.getByText('Saved as agenda.txt')).toBeVisible()
})
