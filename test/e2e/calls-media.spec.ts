// The call engine end to end: two people, each with their own client core,
// Node host and Chromium (fake camera and microphone), in a video call. What
// is asserted is what WebRTC itself counts (getStats through the browser
// host's window.__messengerCalls): packets and frames that keep arriving,
// never a timing.
import type { Page } from '@playwright/test'
import { accept, callView, expectConnected, startCall, stats, tiles } from './calls-helpers'
import { expect, expectOnline, openConversation, send, signUpInUi, startDirectChat, test, type User } from './fixtures'
import { startProxy } from '../helpers/client'

type Counter = 'inboundAudioPackets' | 'inboundVideoPackets' | 'outboundAudioPackets' | 'outboundVideoPackets' | 'inboundScreenFrames' | 'outboundScreenFrames'
/** Every connection of the page shows each counter grow past what it was when this was called. */
async function expectGrowing(page: Page, which: Counter[], connections = 1): Promise<void> {
  const before = await stats(page)
  await expect
    .poll(
      async () => {
        const now = await stats(page)
        const grown = now.filter((n) => which.every((k) => n[k] > (before.find((b) => b.peerId === n.peerId)?.[k] ?? 0)))
        return grown.length
      },
      { timeout: 20_000, message: `${which.join(', ')} growing` }
    )
    .toBe(connections)
}

const BOTH_WAYS: Counter[] = ['inboundAudioPackets', 'inboundVideoPackets', 'outboundAudioPackets', 'outboundVideoPackets']

async function videoCall(alice: User, bob: User): Promise<void> {
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Call?')
  await openConversation(bob.page, 'Alice')
  await startCall(alice.page, 'video')
  await accept(bob, 'Alice', true)
  for (const page of [alice.page, bob.page]) await expectConnected(page, 2)
}

test('a video call: sound and picture flow both ways, a shared screen’s frames arrive, and the tiles show quality and who speaks', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await videoCall(alice, bob)

  for (const page of [alice.page, bob.page]) await expectGrowing(page, BOTH_WAYS)
  // Measured on a LAN (loopback here): good; and the fake microphone's beep lights the outline of the one who beeps.
  for (const page of [alice.page, bob.page]) {
    await expect(tiles(page).and(page.locator('[data-quality="good"]'))).toHaveCount(1)
    await expect(tiles(page).and(page.locator('[data-speaking="true"]')).first()).toBeVisible()
  }

  // Bob shares his screen (the browser host: getDisplayMedia; the fake UI picks a screen): its frames reach Alice.
  await bob.page.getByTestId('call-screen').click()
  await expect(callView(alice.page).getByRole('figure', { name: 'Bob’s screen' })).toBeVisible()
  await expectGrowing(alice.page, ['inboundScreenFrames'])
  // The camera goes on meanwhile: the screen has a transceiver of its own.
  await expectGrowing(alice.page, ['inboundVideoPackets', 'inboundAudioPackets'])
  await bob.page.getByTestId('call-screen').click()
  await expect(callView(alice.page).getByRole('figure', { name: 'Bob’s screen' })).toBeHidden()

  // Camera off (the track stops) and on again (a new track on the same transceiver): Alice sees him again.
  const bobOnAlice = tiles(alice.page).filter({ hasText: 'Bob' })
  await bob.page.getByTestId('call-camera').click()
  await expect(bobOnAlice.locator('video')).toHaveCount(0)
  await bob.page.getByTestId('call-camera').click()
  await expect(bobOnAlice.locator('video')).toHaveCount(1)
  await expectGrowing(alice.page, ['inboundVideoPackets'])
})

test('an ICE restart (what a network change sets off) gives new credentials and the media flows on', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await videoCall(alice, bob)
  await expectGrowing(alice.page, BOTH_WAYS)
  // The credentials in use once the negotiation settled (no offer left unanswered), else null.
  const ufrag = async (page: Page): Promise<string | null> => {
    const c = (await stats(page))[0]
    return c?.signalingState === 'stable' ? c.localUfrag : null
  }
  const settledOtherThan = async (page: Page, before: string | null): Promise<boolean> => {
    const now = await ufrag(page)
    return now !== null && now !== before
  }
  const restart = (page: Page): Promise<void> => page.evaluate(() => (window as unknown as { __messengerCalls: { restartIce(): void } }).__messengerCalls.restartIce())
  const [aliceBefore, bobBefore] = [await ufrag(alice.page), await ufrag(bob.page)]
  expect(aliceBefore).toBeTruthy()

  await restart(alice.page)
  await expect.poll(() => settledOtherThan(alice.page, aliceBefore)).toBe(true)
  await expect.poll(() => settledOtherThan(bob.page, bobBefore)).toBe(true)
  for (const page of [alice.page, bob.page]) {
    await expectConnected(page, 2)
    await expectGrowing(page, BOTH_WAYS)
  }

  // Both at once: the offers cross (glare); the polite side yields and neither connection is left waiting.
  // To make them cross for sure, Bob's page is kept busy right after his restart (not a wait for a result):
  // Alice's offer, sent just before, arrives while his own is being made.
  const [aliceNow, bobNow] = [await ufrag(alice.page), await ufrag(bob.page)]
  await restart(alice.page)
  await bob.page.evaluate(() => {
    ;(window as unknown as { __messengerCalls: { restartIce(): void } }).__messengerCalls.restartIce()
    const until = Date.now() + 500
    while (Date.now() < until) {
      // busy: the signal from Alice queues behind Bob's own negotiation
    }
  })
  await expect.poll(() => settledOtherThan(alice.page, aliceNow)).toBe(true)
  await expect.poll(() => settledOtherThan(bob.page, bobNow)).toBe(true)
  for (const page of [alice.page, bob.page]) {
    await expectConnected(page, 2)
    await expectGrowing(page, BOTH_WAYS)
  }
})

test('Bob’s connection to the server drops mid-call: he takes his place again, ICE restarts, and the call goes on', async ({ messenger }) => {
  const proxy = await startProxy(messenger.serverUrl)
  try {
    const alice = await messenger.user('Alice')
    const bob = await messenger.user('Bob', { signUp: false })
    await signUpInUi(bob.page, proxy.url, 'bob', 'Bob')
    await videoCall(alice, bob)
    await expectGrowing(bob.page, BOTH_WAYS)
    const before = (await stats(bob.page))[0]?.localUfrag

    proxy.cut()
    // His socket comes back (the connection bar goes), he rejoins with the same peer and restarts ICE.
    await expectOnline(bob.page)
    await expect
      .poll(async () => {
        const c = (await stats(bob.page))[0]
        return c?.signalingState === 'stable' && c.localUfrag !== before
      })
      .toBe(true)
    for (const page of [alice.page, bob.page]) {
      await expectConnected(page, 2)
      await expectGrowing(page, BOTH_WAYS)
    }
  } finally {
    await proxy.close()
  }
})
