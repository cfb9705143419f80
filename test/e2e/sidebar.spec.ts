// The sidebar's layout (issue 26 item 9): the admin shield inside the
// sidebar, and a long name shown in full where there is room.
import type { Locator } from '@playwright/test'
import { expect, send, startDirectChat, test } from './fixtures'

/** Whether an element's text is cut off (an ellipsis shows). */
function truncated(el: Locator): Promise<boolean> {
  return el.evaluate((e) => e.scrollWidth > e.clientWidth)
}

test('the admin shield sits inside the sidebar, and a long name shows in full at the default window width', async ({ messenger }) => {
  // The first account is the server's admin.
  const alice = await messenger.user('Alice Anders (Ops)', { username: 'alice' })
  const bob = await messenger.user('Bob')
  const page = alice.page
  const sidebar = page.getByRole('complementary', { name: 'Conversations' })
  const shield = page.getByRole('button', { name: 'Server administration' })

  const inside = async (): Promise<void> => {
    const outer = (await sidebar.boundingBox())!
    const box = (await shield.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(outer.x)
    expect(box.x + box.width).toBeLessThanOrEqual(outer.x + outer.width)
  }
  await inside()
  const name = sidebar.locator('.me-name')
  // (Followed by words only a screen reader hears.)
  await expect(name).toHaveText(/^Alice Anders \(Ops\)/)
  expect(await truncated(name)).toBe(false)

  // In Bob's list too, the chat with Alice is named in full.
  await startDirectChat(bob.page, { ...alice, name: 'Alice Anders (Ops)' })
  await send(bob.page, 'hi')
  const title = bob.page.getByRole('listbox', { name: 'Conversation list' }).locator('.conversation-title').first()
  await expect(title).toHaveText(/^Alice Anders \(Ops\)/)
  expect(await truncated(title)).toBe(false)

  // A name too long for any sidebar ends in an ellipsis; the shield stays inside.
  await alice.client.call('profile.update', { displayName: 'Alexandra Konstantinopoulou-Fairweather (Operations)' })
  await expect(name).toHaveText(/^Alexandra Konstantinopoulou-Fairweather \(Operations\)/)
  expect(await truncated(name)).toBe(true)
  await inside()
})
