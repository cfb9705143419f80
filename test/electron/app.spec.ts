// The desktop app on the real Electron binary: hardening seen from the page,
// sign-in and chat, a notification click, navigation blocked. Skipped, with
// the reason printed, where no Electron binary exists (this project's CI).
import { conversationTitle, messageRows, send } from '../e2e/fixtures'
import { aliceAndBob, expect, test } from './fixtures'

test('the window is our app:// page with no Node and no Electron in reach', async ({ desktop }) => {
  const { page } = desktop
  expect(page.url()).toBe('app://messenger/index.html')
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    messenger: typeof window.messenger,
    ipc: 'ipcRenderer' in window.messenger
  }))
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', messenger: 'object', ipc: false })
  // Sandboxed and isolated: the preload's world is not the page's, so none of its Node-ish globals leak.
  expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>)['Buffer'])).toBe('undefined')
})

test('navigation away and new windows are blocked', async ({ desktop }) => {
  const { page, app } = desktop
  await page.evaluate(() => {
    location.href = 'https://example.com/'
  })
  const opened = await page.evaluate(() => window.open('https://example.com/') === null)
  expect(opened).toBe(true)
  expect(page.url()).toBe('app://messenger/index.html')
  expect(app.windows()).toHaveLength(1)
})

test('sign up, chat with someone, and a notification click opens the conversation', async ({ desktop }) => {
  const { page, app } = desktop
  const { bob, chatId } = await aliceAndBob(desktop)
  try {

    // Alice's window is hidden, so a new message notifies; record what main shows.
    await app.evaluate(({ BrowserWindow, Notification }) => {
      const shown: unknown[] = []
      ;(globalThis as Record<string, unknown>)['shownNotifications'] = shown
      Notification.prototype.show = function (this: unknown) {
        shown.push(this)
      }
      BrowserWindow.getAllWindows()[0]!.hide()
    })
    await bob.call('messages.send', { conversationId: chatId, text: 'Hi Alice, from Bob' })
    await expect
      .poll(() => app.evaluate(() => ((globalThis as Record<string, unknown>)['shownNotifications'] as { title: string; body: string }[]).map((n) => `${n.title}: ${n.body}`)))
      .toEqual(['Bob: Hi Alice, from Bob'])
    await app.evaluate(() => {
      const shown = (globalThis as Record<string, unknown>)['shownNotifications'] as { emit(e: string): void }[]
      shown[0]!.emit('click')
    })
    await expect(conversationTitle(page)).toHaveText('Bob')
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible())).toBe(true)
    await expect(messageRows(page, 'Hi Alice, from Bob')).toBeVisible()

    await send(page, 'Hello Bob')
    await bob.waitFor('messages', (e) => e.upserted.some((m) => m.text === 'Hello Bob'))
  } finally {
    await bob.destroy()
  }
})
