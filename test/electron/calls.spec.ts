// The desktop app's screen picker: sharing goes only through the app's own
// dialog of screens and windows (main's desktopCapturer sources); Esc shares
// nothing and gives focus back, a pick shares that source. Skipped where no
// Electron binary exists (this project's CI); Bob is a client core without a
// window, so the call rings and Alice shares into it before anyone answers.
import { conversationTitle, messageRows } from '../e2e/fixtures'
import { aliceAndBob, expect, test } from './fixtures'

test('screen sharing goes through the app’s picker: Esc shares nothing, a pick shares that screen', async ({ desktop }) => {
  const { page } = desktop
  const { bob, chatId } = await aliceAndBob(desktop)
  try {
    await bob.call('messages.send', { conversationId: chatId, text: 'Show me your screen?' })
    await page.getByRole('listbox', { name: 'Conversation list' }).getByRole('option', { name: /^Bob/ }).click()
    await expect(conversationTitle(page)).toHaveText('Bob')
    await expect(messageRows(page, 'Show me your screen?')).toBeVisible()

    await page.getByTestId('call-start-audio').click()
    const share = page.getByTestId('call-screen')
    await expect(share).toBeVisible()

    await share.click()
    const picker = page.getByRole('dialog', { name: 'Share your screen' })
    await expect(picker.getByTestId('screen-picker')).toBeVisible()
    await expect(picker.getByRole('region', { name: 'Screens' }).getByTestId('screen-source').first()).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(picker).toBeHidden()
    await expect(share).toBeFocused()
    await expect(share).toHaveAttribute('aria-pressed', 'false')

    await share.click()
    await picker.getByRole('region', { name: 'Screens' }).getByTestId('screen-source').first().click()
    await expect(picker).toBeHidden()
    await expect(page.getByTestId('call-view').getByRole('figure', { name: 'Your screen' })).toBeVisible()
    await expect(share).toHaveAttribute('aria-pressed', 'true')
    await page.getByTestId('call-leave').click()
    await expect(page.getByTestId('call-view')).toBeHidden()
  } finally {
    await bob.destroy()
  }
})
