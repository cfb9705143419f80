// Issue 21 (i21-notify): desktop notifications in the browser host, as a
// person sees them. Bob's tab is in the background (an init script makes the
// page hidden and unfocused, and records what the Notification API is asked to
// show, with permission granted); his preferences are set through the REST API
// (PATCH /api/v1/me/notification-prefs), as any of his devices would.
import type { Page } from '@playwright/test'
import type { UpdateNotificationPrefsBody } from '../../src/shared/schemas/notification-prefs'
import { createGroup, expect, sidebarRow, startDirectChat, test, type Messenger, type User, PASSWORD } from './fixtures'

interface Shown {
  title: string
  body: string
}

/** The tab in the background, with a Notification API that records (and a Web Audio that counts the chimes). */
function backgroundTab(): void {
  const w = window as unknown as { __shown: Shown[]; __chimes: number; __clickLast: () => void }
  w.__shown = []
  w.__chimes = 0
  const made: { onclick: (() => void) | null }[] = []
  class RecordingNotification {
    static permission = 'granted'
    static requestPermission = (): Promise<string> => Promise.resolve('granted')
    onclick: (() => void) | null = null
    constructor(title: string, options?: { body?: string }) {
      w.__shown.push({ title, body: options?.body ?? '' })
      made.push(this)
    }
    close(): void {}
  }
  w.__clickLast = () => made.at(-1)?.onclick?.()
  Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true, writable: true })
  Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden', configurable: true })
  Object.defineProperty(Document.prototype, 'hidden', { get: () => true, configurable: true })
  Document.prototype.hasFocus = () => false
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    w.__chimes++
    return BaseAudioContext.prototype.createOscillator.call(this)
  }
}

async function inBackground(user: User): Promise<void> {
  await user.context.addInitScript(backgroundTab)
  await user.page.reload()
  await expect(user.page.getByRole('button', { name: 'New chat' })).toBeVisible()
}

const shown = (page: Page): Promise<Shown[]> => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown)
const chimes = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __chimes: number }).__chimes)

/** Bob's preferences through the REST API; resolves once his app has them (the server's event reached his core). */
async function setPrefs(messenger: Messenger, user: User, body: UpdateNotificationPrefsBody): Promise<void> {
  const login = await fetch(`${messenger.serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: PASSWORD })
  })
  expect(login.status).toBe(200)
  const { accessToken } = (await login.json()) as { accessToken: string }
  const res = await fetch(`${messenger.serverUrl}/api/v1/me/notification-prefs`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body)
  })
  expect(res.status).toBe(200)
  await expect.poll(() => user.client.call('notifications.prefs')).toMatchObject(body)
}

/** Alice writes in the conversation titled `title` (through her app's core: mentions by id, as her composer sends them). */
async function say(alice: User, title: string, text: string, mentions: User[] = []): Promise<void> {
  const list = await alice.client.call('conversations.list')
  const conversation = list.find((c) => c.title === title || (c.kind === 'direct' && c.members.some((m) => m.user.displayName === title)))
  if (!conversation) throw new Error(`no conversation ${title}`)
  const ids = await Promise.all(mentions.map(async (u) => ((await u.client.call('session.get')) as { me: { id: string } }).me.id))
  await alice.client.call('messages.send', { conversationId: conversation.id, text, ...(ids.length ? { mentions: ids } : {}) })
}

test('under "all" a direct message notifies with a chime, the tab title counts it, and a click opens the chat', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await inBackground(bob)
  await expect(bob.page).toHaveTitle('LAN Messenger')

  await say(alice, 'Bob', 'lunch at noon?')
  await expect(sidebarRow(bob.page, 'Alice')).toHaveAccessibleName('Alice, 1 unread')
  await expect.poll(() => shown(bob.page)).toEqual([{ title: 'Alice', body: 'lunch at noon?' }])
  expect(await chimes(bob.page)).toBeGreaterThan(0)
  await expect(bob.page).toHaveTitle('(1) LAN Messenger')

  await bob.page.evaluate(() => (window as unknown as { __clickLast: () => void }).__clickLast())
  await expect(bob.page.getByRole('region', { name: 'Open conversation' }).getByRole('heading', { level: 1 })).toHaveText('Alice')
})

test('under "mentions" a plain group message is quiet; a mention and a keyword notify; sound off stays silent', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Team', ['Bob'])
  await inBackground(bob)
  await setPrefs(messenger, bob, { level: 'mentions', keywords: ['deploy'], sound: false })

  await say(alice, 'Team', 'good morning all')
  await expect(sidebarRow(bob.page, 'Team')).toHaveAccessibleName('Team, 1 unread')
  // The host tells a page before it sends the message itself: nothing was told.
  expect(await shown(bob.page)).toEqual([])

  await say(alice, 'Team', '@bob can you look?', [bob])
  await expect.poll(() => shown(bob.page)).toEqual([{ title: 'Team', body: 'Alice mentioned you: @bob can you look?' }])
  await say(alice, 'Team', 'The Deploy is done.')
  await expect.poll(() => shown(bob.page)).toHaveLength(2)
  expect((await shown(bob.page))[1]).toEqual({ title: 'Team', body: 'Alice: The Deploy is done.' })
  expect(await chimes(bob.page)).toBe(0)
  await expect(bob.page).toHaveTitle('(3) LAN Messenger')
})

test('with do-not-disturb on nothing is shown though the unread count grows; off again, messages notify', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await inBackground(bob)
  await setPrefs(messenger, bob, { dndUntil: new Date(Date.now() + 3600_000).toISOString() })

  await say(alice, 'Bob', 'are you there?')
  await say(alice, 'Bob', 'urgent!', [bob])
  await expect(sidebarRow(bob.page, 'Alice')).toHaveAccessibleName(/^Alice, 2 unread/)
  await expect(bob.page).toHaveTitle('(2) LAN Messenger')
  expect(await shown(bob.page)).toEqual([])
  expect(await chimes(bob.page)).toBe(0)

  await setPrefs(messenger, bob, { dndUntil: null })
  await say(alice, 'Bob', 'back?')
  await expect.poll(() => shown(bob.page)).toEqual([{ title: 'Alice', body: 'back?' }])
})

test('the browser host asks for permission from a banner in the sidebar; allowed, it goes', async ({ messenger }) => {
  const bob = await messenger.user('Bob')
  await bob.context.addInitScript(() => {
    let permission = 'default'
    class AskingNotification {
      static get permission(): string {
        return permission
      }
      static requestPermission = (): Promise<string> => {
        permission = 'granted'
        return Promise.resolve(permission)
      }
    }
    Object.defineProperty(window, 'Notification', { value: AskingNotification, configurable: true, writable: true })
  })
  await bob.page.reload()
  const banner = bob.page.getByRole('region', { name: 'Desktop notifications' })
  await expect(banner).toBeVisible()
  await banner.getByRole('button', { name: 'Allow notifications' }).click()
  await expect(banner).toBeHidden()
})
