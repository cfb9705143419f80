// Issue 21 item 5: link previews as two people see them. The server (told by
// its admin to preview every address) fetches a page this test serves on
// 127.0.0.1; Bob sees the card with its title, description and the picture
// the server stored; Alice, the sender, removes it and it goes for Bob too.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, messageRows, openConversation, send, sidebarRow, startDirectChat, test } from './fixtures'

/** A 2×3 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000030806000000' + '9d74ba5e0000000d49444154789c63f8ffff3f0300080001ff2b7c3a3f0000000049454e44ae426082',
  'hex'
)

let pages: Server
let site = ''
const requested: string[] = []

test.beforeAll(async () => {
  pages = createServer((req, res) => {
    requested.push(req.url ?? '')
    if (req.url === '/soup.png') return (res.writeHead(200, { 'content-type': 'image/png' }), res.end(PNG))
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(
      '<html><head><meta property="og:title" content="Canteen menu"><meta property="og:site_name" content="Intranet">' +
        '<meta property="og:description" content="Tomato soup, then apple pie &amp; cream"><meta property="og:image" content="/soup.png"></head></html>'
    )
  })
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
  site = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
})
test.afterAll(async () => {
  pages.closeAllConnections()
  await new Promise((resolve) => pages.close(resolve))
})

const card = (page: Page, text: string) => messageRows(page, text).getByRole('group', { name: 'Link preview: Canteen menu' })

test('the server previews a LAN link: Bob sees title, description and picture; Alice removes it and it goes for both', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  // Alice is the first account, the server's admin: pages on this network (127.0.0.1 here) may be previewed.
  expect(await alice.client.call('admin.updateSettings', { linkPreviews: 'all' })).toMatchObject({ linkPreviews: 'all' })

  await startDirectChat(alice.page, bob)
  const text = `Lunch today: ${site}/menu`
  await send(alice.page, text)
  await expect(sidebarRow(bob.page, 'Alice')).toBeVisible()
  await openConversation(bob.page, 'Alice')

  const seen = card(bob.page, text)
  await expect(seen).toBeVisible()
  await expect(seen.getByRole('link', { name: 'Canteen menu' })).toHaveAttribute('href', `${site}/menu`)
  await expect(seen).toContainText('Intranet')
  await expect(seen).toContainText('Tomato soup, then apple pie & cream')
  // The picture is the server's stored copy, loaded through the app: never the page's own address.
  await expect(seen.locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/)
  expect(requested.filter((path) => path === '/soup.png')).toHaveLength(1)
  // Only the sender may remove it.
  await expect(seen.getByRole('button', { name: 'Remove the link preview' })).toHaveCount(0)

  const own = card(alice.page, text)
  await expect(own).toBeVisible()
  // The cards (Bob's, and Alice's with its × button) pass axe's serious and critical rules.
  for (const page of [bob.page, alice.page]) {
    const results = await new AxeBuilder({ page }).include('.link-preview').analyze()
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  }
  await own.getByRole('button', { name: 'Remove the link preview' }).click()
  await expect(own).toHaveCount(0)
  await expect(seen).toHaveCount(0)
  await expect(messageRows(bob.page, text)).toBeVisible()
})

test('the admin chooses what the server previews in Server settings, each choice explained', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  await alice.page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = alice.page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('tab', { name: 'Server settings' }).click()
  const choices = dialog.getByRole('group', { name: 'Link previews' })
  // The server's default: public pages only.
  await expect(choices.getByRole('radio', { name: /^Public pages only/ })).toBeChecked()
  await expect(choices).toContainText('never addresses of this network or this computer')
  await choices.getByRole('radio', { name: /^All pages/ }).check()
  await dialog.getByRole('button', { name: 'Save settings' }).click()
  await expect(dialog.getByRole('status')).toHaveText('Saved.')
  expect(await alice.client.call('admin.settings')).toMatchObject({ linkPreviews: 'all' })
})
