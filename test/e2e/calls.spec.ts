// Calls between people on their own computers (a client core, Node host and
// browser each), with Chromium's fake camera and microphone: ringing,
// declining, missing, busy, talking (media counted from getStats on both
// sides), a group call joined from the banner, a public room's call, the call
// bar, a host that dies mid-call, and a microphone that is gone.
import type { Page } from '@playwright/test'
import { accept, callView, expectConnected, expectMedia, playingAudio, ring, startCall, systemLine, tiles } from './calls-helpers'
import { conversationTitle, expect, openConversation, send, sidebarRow, startDirectChat, test, type User } from './fixtures'

// Short enough that a missed call and a dead peer end within a test's patience; the products' are 45 s and 15 s.
const RING_MS = 4000
const GRACE_MS = 3000
test.use({ serverOptions: { callRingMs: RING_MS, callRejoinGraceMs: GRACE_MS } })

/** A direct chat both sides have open (Bob's appears once Alice writes). */
async function chat(a: User, b: User): Promise<void> {
  await startDirectChat(a.page, b)
  await send(a.page, `Hi ${b.name}`)
  await openConversation(b.page, a.name)
}

async function createGroup(page: Page, title: string, members: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New group' }).click()
  const dialog = page.getByRole('dialog', { name: 'New group' })
  await dialog.getByLabel('Group name').fill(title)
  for (const name of members) {
    await dialog.getByLabel('Add people').fill(name.toLowerCase())
    await dialog.getByRole('button', { name: `Add ${name}` }).click()
  }
  await dialog.getByRole('button', { name: 'Create group' }).click()
  await expect(dialog).toBeHidden()
  await expect(conversationTitle(page)).toHaveText(title)
}

test('Bob declines: Alice is told, and both histories say so', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await chat(alice, bob)

  await startCall(alice.page)
  await expect(alice.page.getByRole('status').filter({ hasText: 'Calling Bob…' })).toBeVisible()
  await expect(ring(bob.page, 'Alice')).toContainText('Voice call from Alice')
  // The ring card answers; no banner offers to join a call that rings for him.
  await expect(bob.page.getByTestId('call-join')).toHaveCount(0)
  await ring(bob.page, 'Alice').getByTestId('call-decline').click()

  await expect(alice.page.getByTestId('call-notice')).toHaveText('Bob declined the call.')
  await expect(callView(alice.page)).toBeHidden()
  await expect(ring(bob.page, 'Alice')).toBeHidden()
  for (const page of [alice.page, bob.page]) await expect(systemLine(page, 'Bob declined Alice’s call')).toBeVisible()
  await expect(sidebarRow(bob.page, 'Alice')).toContainText('Bob declined Alice’s call')
  await alice.page.getByTestId('call-notice').getByRole('button', { name: 'Dismiss' }).click()
  await expect(alice.page.getByTestId('call-notice')).toBeHidden()
})

test('nobody answers: the call is missed on both sides', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await chat(alice, bob)

  await startCall(alice.page, 'video')
  await expect(ring(bob.page, 'Alice')).toContainText('Video call from Alice')
  // The ring stops by itself (RING_MS) on Bob's side, and Alice's call ends.
  await expect(ring(bob.page, 'Alice')).toBeHidden({ timeout: RING_MS + 10_000 })
  await expect(alice.page.getByTestId('call-notice')).toHaveText('Bob did not answer.')
  await expect(callView(alice.page)).toBeHidden()
  for (const page of [alice.page, bob.page]) await expect(systemLine(page, 'Missed video call from Alice')).toBeVisible()
})

test('Carol calls Bob while he talks to Alice: Bob is busy', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await chat(alice, bob)
  await chat(carol, bob)

  await openConversation(alice.page, 'Bob')
  await startCall(alice.page)
  await accept(bob, 'Alice')
  await expectConnected(alice.page, 2)

  await startCall(carol.page)
  await expect(carol.page.getByTestId('call-notice')).toHaveText('Bob is in another call.')
  await expect(callView(carol.page)).toBeHidden()
  await expect(systemLine(carol.page, 'Bob was busy when Carol called')).toBeVisible()
  // Bob was never rung, and his call with Alice goes on.
  await expect(ring(bob.page, 'Carol')).toHaveCount(0)
  await expect(sidebarRow(bob.page, 'Carol')).toContainText('Bob was busy when Carol called')
  await expectConnected(bob.page, 2)
})

test('a video call: media flows both ways, a screen is shared, and the hang-up leaves its length in both histories', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await chat(alice, bob)

  await startCall(alice.page, 'video')
  await accept(bob, 'Alice', true)
  for (const page of [alice.page, bob.page]) {
    await expectConnected(page, 2)
    // Each side sends and receives both sound and picture (the fake devices' beep and test pattern).
    await expectMedia(page, 1, (s) => s.inboundAudioPackets > 0 && s.inboundVideoPackets > 0 && s.outboundAudioPackets > 0 && s.outboundVideoPackets > 0)
    await expect(tiles(page).locator('video')).toHaveCount(2)
  }
  // The fake microphone beeps: Bob is seen speaking, over a good (loopback) connection.
  const bobOnAlice = tiles(alice.page).filter({ hasText: 'Bob' })
  await expect(bobOnAlice).toHaveAttribute('data-speaking', 'true')
  await expect(bobOnAlice).toHaveAttribute('data-quality', 'good')
  await expect(bobOnAlice.getByRole('img', { name: 'Good connection' })).toBeVisible()

  // Mute and camera show on the other side.
  await alice.page.getByTestId('call-mute').click()
  await expect(alice.page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'true')
  const aliceOnBob = tiles(bob.page).filter({ hasText: 'Alice' })
  await expect(aliceOnBob.getByRole('img', { name: 'Microphone off' })).toBeVisible()
  await alice.page.getByTestId('call-camera').click()
  await expect(aliceOnBob.locator('video')).toHaveCount(0)

  // Alice shares her screen: it arrives at Bob's, shown large.
  await alice.page.getByTestId('call-screen').click()
  await expect(callView(bob.page).getByRole('figure', { name: 'Alice’s screen' })).toBeVisible()
  await expectMedia(bob.page, 1, (s) => s.inboundScreenFrames > 0)
  await alice.page.getByTestId('call-screen').click()
  await expect(callView(bob.page).getByRole('figure', { name: 'Alice’s screen' })).toBeHidden()

  await alice.page.getByTestId('call-leave').click()
  for (const page of [alice.page, bob.page]) {
    await expect(callView(page)).toBeHidden()
    await expect(systemLine(page, /^Alice started a video call · \d+ s$/)).toBeVisible()
  }
})

test('a group call: a third person joins from the banner, leaves and rejoins', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await createGroup(alice.page, 'Team', ['Bob', 'Carol'])
  for (const u of [bob, carol]) await openConversation(u.page, 'Team')

  await startCall(alice.page)
  await accept(bob, 'Alice')
  await expect(ring(carol.page, 'Alice')).toContainText('in Team')
  await expect(carol.page.getByTestId('call-join')).toHaveCount(0)
  await ring(carol.page, 'Alice').getByTestId('call-decline').click()
  // Declined, but the call runs: Carol can still join it.
  await expect(carol.page.getByRole('status').filter({ hasText: 'A call is running with 2 people' })).toBeVisible()
  await carol.page.getByTestId('call-join').click()
  for (const u of [alice, bob, carol]) await expectConnected(u.page, 3)
  await expectMedia(carol.page, 2, (s) => s.inboundAudioPackets > 0 && s.outboundAudioPackets > 0)
  await expect.poll(() => playingAudio(carol.page)).toBe(2)

  await carol.page.getByTestId('call-leave').click()
  await expect(callView(carol.page)).toBeHidden()
  // The sidebar marks the conversation a call runs in, and says so to a screen reader.
  await expect(sidebarRow(carol.page, 'Team').getByTestId('call-running')).toBeVisible()
  await expect(sidebarRow(carol.page, 'Team')).toHaveAccessibleDescription(/^A call is running/)
  for (const u of [alice, bob]) await expectConnected(u.page, 2)
  await carol.page.getByTestId('call-join').click()
  for (const u of [alice, bob, carol]) await expectConnected(u.page, 3)

  for (const u of [carol, bob, alice]) await u.page.getByTestId('call-leave').click()
  for (const u of [alice, bob, carol]) await expect(systemLine(u.page, /^Alice started a call · \d+ s$/)).toBeVisible()
  await expect(carol.page.getByTestId('call-join')).toBeHidden()
  await expect(sidebarRow(carol.page, 'Team').getByTestId('call-running')).toHaveCount(0)
})

test('the call bar: in sight while another conversation is read, back to the call, and leaving from it', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  await chat(alice, carol)
  await chat(alice, bob)

  await startCall(alice.page)
  await accept(bob, 'Alice')
  await expectConnected(alice.page, 2)
  await expect(alice.page.getByTestId('call-bar')).toBeHidden()

  await openConversation(alice.page, 'Carol')
  const bar = alice.page.getByTestId('call-bar')
  await expect(bar).toContainText('Call in Bob')
  await expect(bar.getByRole('timer')).toHaveText(/^\d+:\d\d$/)
  await expect(callView(alice.page)).toBeHidden()
  // Still talking: the call goes on behind the bar, and Bob is still heard.
  await expectMedia(alice.page, 1, (s) => s.inboundAudioPackets > 0)
  await expect.poll(() => playingAudio(alice.page)).toBe(1)

  await bar.getByTestId('call-bar-return').click()
  await expect(conversationTitle(alice.page)).toHaveText('Bob')
  await expectConnected(alice.page, 2)
  await expect(bar).toBeHidden()

  await openConversation(alice.page, 'Carol')
  await bar.getByTestId('call-bar-leave').click()
  await expect(bar).toBeHidden()
  await expect(callView(bob.page)).toBeHidden()
  await expect(systemLine(bob.page, /^Alice started a call · \d+ s$/)).toBeVisible()
})

test('when Bob’s app dies mid-call, Alice’s call ends cleanly within the rejoin grace', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await chat(alice, bob)

  await startCall(alice.page)
  await accept(bob, 'Alice')
  await expectConnected(alice.page, 2)

  await bob.quit()
  // The server waits GRACE_MS for Bob to come back, then he has left and a call of one ends.
  await expect(callView(alice.page)).toBeHidden({ timeout: GRACE_MS + 15_000 })
  await expect(alice.page.getByTestId('call-bar')).toBeHidden()
  await expect(systemLine(alice.page, /^Alice started a call · \d+ s$/)).toBeVisible()
  // No tile is left behind "connecting" to someone who is gone.
  await expect(alice.page.getByTestId('call-tile')).toHaveCount(0)
})

test('a microphone that is gone: the call does not start, and a notice says why', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await chat(alice, bob)
  // The microphone chosen last time (the engine keeps the choice in localStorage) was unplugged since.
  await alice.page.evaluate(() => localStorage.setItem('messenger.callDevices', JSON.stringify({ microphone: 'unplugged-headset', camera: null, speaker: null })))
  await alice.page.reload()
  await openConversation(alice.page, 'Bob')

  await alice.page.getByTestId('call-start-audio').click()
  const notice = alice.page.getByTestId('call-notice')
  await expect(notice).toHaveText('No microphone or camera could be used: none is connected, or another program is using it.')
  await expect(callView(alice.page)).toBeHidden()
  await expect(ring(bob.page, 'Alice')).toHaveCount(0)
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await expect(notice).toBeHidden()
  await expect(alice.page.getByTestId('call-start-audio')).toBeEnabled()
})

test('a public room’s call rings nobody: it waits, and a member joins it from the banner', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  for (const u of [alice, bob]) {
    await u.page.getByRole('button', { name: 'Rooms' }).click()
    const dialog = u.page.getByRole('dialog', { name: 'Public rooms' })
    await dialog.getByLabel('Enter a room name to create or join').fill('lunch')
    await dialog.getByRole('button', { name: 'Enter' }).click()
    await expect(dialog).toBeHidden()
    await expect(conversationTitle(u.page)).toHaveText('lunch')
  }

  await startCall(alice.page)
  await expect(alice.page.getByRole('status').filter({ hasText: 'Waiting for others to join…' })).toBeVisible()
  await expect(bob.page.getByTestId('call-join')).toBeVisible()
  await expect(bob.page.getByTestId('incoming-call')).toHaveCount(0)
  await bob.page.getByTestId('call-join').click()
  for (const u of [alice, bob]) await expectConnected(u.page, 2)
  await expect(alice.page.getByRole('status').filter({ hasText: 'Waiting for others to join…' })).toBeHidden()

  for (const u of [bob, alice]) await u.page.getByTestId('call-leave').click()
  for (const u of [alice, bob]) await expect(systemLine(u.page, /^Alice started a call · \d+ s$/)).toBeVisible()
})
