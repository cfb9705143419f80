// What a person does and sees in a call, for the calls specs: the header's
// buttons, the ring, the call view's tiles, and the media the engine counts
// (window.__messengerCalls, which the Node host's page exposes for tests).
import type { Locator, Page } from '@playwright/test'
import type { CallsTestHook } from '../../src/renderer/src/calls/test-hook'
import { conversationTitle, expect, messageLog, type User } from './fixtures'

/** What the engine counts per connection (WebRTC's own getStats), as the browser host's test hook gives it. */
export type PeerStats = Awaited<ReturnType<CallsTestHook['stats']>>[number]

/** Starts a call from the open conversation's header. */
export async function startCall(page: Page, media: 'audio' | 'video' = 'audio'): Promise<void> {
  await page.getByTestId(media === 'video' ? 'call-start-video' : 'call-start-audio').click()
  await expect(callView(page)).toBeVisible()
}

/** The ring card of a call from `caller`. */
export function ring(page: Page, caller: string): Locator {
  return page.getByTestId('incoming-call').filter({ hasText: caller })
}

export function callView(page: Page): Locator {
  return page.getByTestId('call-view')
}

export function tiles(page: Page): Locator {
  return callView(page).getByTestId('call-tile')
}

/** The call view shows `count` people (me included), every other one connected. */
export async function expectConnected(page: Page, count: number): Promise<void> {
  await expect(tiles(page)).toHaveCount(count)
  await expect(tiles(page).and(page.locator('[data-peer-connection="connected"]'))).toHaveCount(count)
}

/** Accepts the ring from `caller` (with video or not): the call opens in its conversation. */
export async function accept(callee: User, caller: string, video = false): Promise<void> {
  await ring(callee.page, caller).getByTestId(video ? 'call-accept-video' : 'call-accept').click()
  await expect(ring(callee.page, caller)).toBeHidden()
  await expect(callView(callee.page)).toBeVisible()
}

/** A system message of the open conversation. */
export function systemLine(page: Page, text: string | RegExp): Locator {
  return messageLog(page).locator('.system-message').filter({ hasText: text })
}

export async function stats(page: Page): Promise<PeerStats[]> {
  return page.evaluate(async () => {
    const hook = window.__messengerCalls
    if (!hook) throw new Error('no window.__messengerCalls: not the browser host?')
    return hook.stats()
  })
}

/** Waits until what `check` asks of every peer connection's counters holds (media flows; never a sleep). */
export async function expectMedia(page: Page, peers: number, check: (s: PeerStats) => boolean): Promise<void> {
  await expect.poll(async () => (await stats(page)).filter(check).length, { timeout: 20_000 }).toBe(peers)
}

/** How many other people's sound is playing in the page (an unpaused <audio> with a live audio track). */
export function playingAudio(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('audio')].filter(
        (a) => !a.paused && a.srcObject instanceof MediaStream && a.srcObject.getAudioTracks().some((t) => t.readyState === 'live')
      ).length
  )
}

export { conversationTitle }
