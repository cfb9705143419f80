// History export end to end in Chromium through the Node host: Alice exports
// a conversation from its header with the progress shown, downloads the zip,
// and opens it again read-only, image included.
import { readFile } from 'node:fs/promises'
import { strFromU8, unzipSync } from 'fflate'
import { ExportManifest, MANIFEST_PATH } from '../../src/shared/schemas/export'
import { expect, messageLog, send, sendPreviewedFiles, startDirectChat, test } from './fixtures'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

test('a conversation exported from the window with its progress, then opened read-only', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'hello <b>Bob</b>')
  await alice.page.getByTestId('attach-input').setInputFiles([{ name: 'dot.png', mimeType: 'image/png', buffer: PNG }])
  await sendPreviewedFiles(alice.page)
  await expect(messageLog(alice.page).getByRole('button', { name: 'View dot.png' })).toBeVisible()

  const page = alice.page
  await page.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export “Bob”' })
  await dialog.getByRole('radio', { name: /Data \(\.zip with JSON\)/ }).check()
  await dialog.getByRole('checkbox', { name: /Include attachments/ }).check()
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  await expect(dialog.getByRole('progressbar', { name: 'Export progress' })).toBeVisible()
  await expect(dialog.getByRole('status')).toContainText(/Exported \d+ messages to Bob \d{4}-\d\d-\d\d\.zip/)
  await expect(dialog.getByRole('progressbar', { name: 'Export progress' })).toHaveJSProperty('value', 1)
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: /^Download / }).click()])
  expect(download.suggestedFilename()).toMatch(/^Bob \d{4}-\d\d-\d\d\.zip$/)
  const zipPath = await download.path()
  const files = unzipSync(await readFile(zipPath))
  expect(ExportManifest.parse(JSON.parse(strFromU8(files[MANIFEST_PATH]!))).conversations.map((c) => c.title)).toEqual(['Bob'])
  await dialog.getByRole('button', { name: 'Close' }).click()

  await page.getByRole('button', { name: /your profile and settings/ }).click()
  await page.getByLabel('Export file to open').setInputFiles(zipPath)
  const viewer = page.getByRole('dialog', { name: /^Export from .*, read-only$/ })
  await expect(viewer.getByRole('note')).toContainText('read-only')
  await expect(viewer.getByText('hello <b>Bob</b>')).toBeVisible()
  await expect(viewer.getByRole('img', { name: 'dot.png' })).toHaveAttribute('src', /^data:image\/png;base64,/)
  // Read-only: nothing to write with.
  await expect(viewer.getByRole('textbox')).toHaveCount(0)
  await viewer.getByRole('button', { name: 'Close' }).click()
  await expect(viewer).toBeHidden()
})

test('a file that is not an export is refused with a clear error', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  await alice.page.getByRole('button', { name: /your profile and settings/ }).click()
  await alice.page.getByLabel('Export file to open').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') })
  await expect(alice.page.getByRole('dialog').getByRole('alert')).toContainText('not an export this app can open')
})

test("the admin exports a colleague's data from the admin screen and downloads the zip", async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(bob.page, alice)
  await send(bob.page, 'my words')
  await alice.page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('listitem', { name: 'Bob' }).getByRole('button', { name: 'Export data of Bob' }).click()
  await expect(dialog.getByRole('status')).toContainText(/Exported the data of @bob to bob-export \d{4}-\d\d-\d\d\.zip/)
  const [download] = await Promise.all([alice.page.waitForEvent('download'), dialog.getByRole('link', { name: /^Download / }).click()])
  const files = unzipSync(await readFile(await download.path()))
  const manifest = ExportManifest.parse(JSON.parse(strFromU8(files[MANIFEST_PATH]!)))
  expect(manifest).toMatchObject({ exportedBy: 'admin', account: { username: 'bob' } })
  expect(strFromU8(files[manifest.conversations[0]!.path]!)).toContain('my words')
})
