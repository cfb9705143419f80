// axe-core on the call's screens, light and dark: the ring card, the call
// view with its controls, the devices dialog, the call bar and the
// ended-call notice. No serious or critical violation (contrast,
// names, roles), and the controls work from the keyboard.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { accept, callView, expectConnected, ring, startCall } from './calls-helpers'
import { expect, openConversation, send, startDirectChat, test } from './fixtures'

async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    const results = await new AxeBuilder({ page }).analyze()
    const found = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`))
    expect.soft(found, `${screen}, ${scheme}`).toEqual([])
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('the call’s screens pass axe in both themes, and the controls work from the keyboard', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await startDirectChat(alice.page, carol)
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Call?')
  await openConversation(bob.page, 'Alice')

  await startCall(alice.page)
  await expect(ring(bob.page, 'Alice')).toBeVisible()
  await expectAccessible(bob.page, 'ring card')
  await expectAccessible(alice.page, 'call view, calling')
  await accept(bob, 'Alice')
  await expectConnected(alice.page, 2)
  await expectAccessible(alice.page, 'call view')

  // Keyboard: Tab reaches the controls; Space mutes; the devices dialog opens and Esc closes it, focus back on its button.
  const mute = alice.page.getByTestId('call-mute')
  await mute.focus()
  await alice.page.keyboard.press('Space')
  await expect(mute).toHaveAttribute('aria-pressed', 'true')
  await expect(mute).toHaveAccessibleName('Unmute microphone')
  const devicesButton = alice.page.getByTestId('call-devices')
  await devicesButton.focus()
  await alice.page.keyboard.press('Enter')
  const devices = alice.page.getByRole('dialog', { name: 'Devices' })
  await expect(devices.getByLabel('Microphone')).toBeVisible()
  await expect(devices.getByLabel('Camera')).toBeVisible()
  await expectAccessible(alice.page, 'devices dialog')
  // Another microphone (Chromium's fake ones), kept when the dialog opens again.
  const microphone = devices.getByLabel('Microphone')
  await expect(microphone.locator('option')).not.toHaveCount(1)
  const other = (await microphone.locator('option').nth(1).getAttribute('value')) ?? ''
  await microphone.selectOption(other)
  await alice.page.keyboard.press('Escape')
  await expect(devices).toBeHidden()
  await expect(devicesButton).toBeFocused()
  await alice.page.keyboard.press('Enter')
  await expect(devices.getByLabel('Microphone')).toHaveValue(other)
  await devices.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(devices).toBeHidden()

  // The bar Alice sees while she reads another chat.
  await openConversation(alice.page, 'Carol')
  await expect(alice.page.getByTestId('call-bar')).toBeVisible()
  await expectAccessible(alice.page, 'call bar')
  await alice.page.getByTestId('call-bar-leave').click()
  await expect(callView(bob.page)).toBeHidden()

  // The notice when Carol declines.
  await send(alice.page, 'And you?')
  await openConversation(carol.page, 'Alice')
  await startCall(alice.page)
  await ring(carol.page, 'Alice').getByTestId('call-decline').click()
  await expect(alice.page.getByTestId('call-notice')).toHaveText('Carol declined the call.')
  await expectAccessible(alice.page, 'ended notice')
})
