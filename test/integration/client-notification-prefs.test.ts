// Issue 21 (i21-attention) through the client core: notification preferences
// fetched at sign-in and kept in the account's cache (read offline, and by
// core.notificationPrefs() for the notifiers), changed on one device and seen
// on the other, mutes kept by the server, and an older local mute list moved
// to the server once.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FOREVER } from '../../src/shared/dnd'
import { DEFAULT_NOTIFICATION_PREFS } from '../../src/shared/schemas/notification-prefs'
import { PASSWORD, signUp, startClient, waitSynced, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

const clients: TestClient[] = []
let srv: TestServer

const track = async (c: Promise<TestClient>): Promise<TestClient> => {
  const client = await c
  clients.push(client)
  return client
}

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

async function secondDevice(serverUrl: string, username: string): Promise<TestClient> {
  const device = await track(startClient())
  const since = device.mark()
  await device.call('session.login', { serverUrl, username, password: PASSWORD })
  await waitSynced(device, since)
  return device
}

/** The account's cache file (one account per test client). */
async function cacheFile(client: TestClient): Promise<string> {
  const accounts = join(client.userDataDir, 'accounts')
  const [id] = await readdir(accounts)
  return join(accounts, id!, 'cache', 'meta.json')
}

describe('notification preferences through the core', () => {
  it('change on one device, reach the other, and read from the cache offline and after a restart', async () => {
    const own = await startServer()
    try {
      const laptop = await track(startClient())
      const { me } = await signUp(laptop, own.url)
      const phone = await secondDevice(own.url, me.username)
      expect(await phone.call('notifications.prefs')).toEqual(DEFAULT_NOTIFICATION_PREFS)
      expect(phone.core.notificationPrefs()).toEqual(DEFAULT_NOTIFICATION_PREFS)

      const since = phone.mark()
      const until = new Date(Date.now() + 3600_000).toISOString()
      const changed = await laptop.call('notifications.update', { level: 'mentions', keywords: ['deploy'], dndUntil: until })
      expect(changed).toMatchObject({ level: 'mentions', keywords: ['deploy'], dndUntil: until })
      await phone.waitFor('notificationPrefs', (p) => p.dndUntil === until, 10_000, since)
      expect(phone.core.notificationPrefs()).toEqual(changed)
      // By account id too, as the notifiers ask for a background account's.
      const accountId = (await phone.call('session.get')).accounts[0]!.id
      expect(phone.core.notificationPrefs(accountId)).toEqual(changed)
      expect(phone.core.notificationPrefs('no-such-account')).toEqual(DEFAULT_NOTIFICATION_PREFS)

      // Offline: still read from the cache; a change needs the server and says so.
      await own.stop()
      await phone.waitFor('connection', (c) => c.status !== 'online' && c.status !== 'connecting')
      expect(await phone.call('notifications.prefs')).toEqual(changed)
      expect((await phone.callError('notifications.update', { level: 'none' })).code).toBe('unreachable')
      await phone.close()
      const again = await track(startClient(phone.userDataDir))
      expect(await again.call('notifications.prefs')).toEqual(changed)
    } finally {
      await own.destroy()
    }
  })

  it('keep mutes on the server: muted on one device is muted on the other', async () => {
    const laptop = await track(startClient())
    const { me } = await signUp(laptop, srv.url)
    const phone = await secondDevice(srv.url, me.username)
    const group = await laptop.call('conversations.createGroup', { title: 'Noisy', memberIds: [] })
    await phone.waitFor('conversations', (c) => c.upserted.some((x) => x.id === group.id))

    const since = phone.mark()
    expect(await laptop.call('conversations.setMuted', { conversationId: group.id, muted: true })).toEqual([group.id])
    await phone.waitFor('muted', (ids) => ids.includes(group.id), 10_000, since)
    expect(await phone.call('conversations.muted')).toEqual([group.id])
    expect(phone.core.notificationPrefs().conversations[group.id]?.mutedUntil).toBe(FOREVER)

    const unmuted = phone.mark()
    expect(await phone.call('conversations.setMuted', { conversationId: group.id, muted: false })).toEqual([])
    await laptop.waitFor('muted', (ids) => ids.length === 0, 10_000, unmuted)
  })

  it('move a local mute list of an older version to the server once', async () => {
    const laptop = await track(startClient())
    const { me } = await signUp(laptop, srv.url)
    const group = await laptop.call('conversations.createGroup', { title: 'Muted before', memberIds: [] })
    await laptop.close()
    // What an older version kept: a mute list of this device only.
    const file = await cacheFile(laptop)
    const meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    await writeFile(file, JSON.stringify({ ...meta, muted: [group.id] }))

    const restarted = await track(startClient(laptop.userDataDir))
    // Muted at once, before the server was asked.
    expect(await restarted.call('conversations.muted')).toEqual([group.id])
    await restarted.waitFor('notificationPrefs', (p) => p.conversations[group.id]?.mutedUntil === FOREVER)
    await restarted.close()
    expect(JSON.parse(await readFile(file, 'utf8'))).not.toHaveProperty('muted')

    // Another device sees it muted, from the server.
    const phone = await secondDevice(srv.url, me.username)
    await phone.waitFor('notificationPrefs', (p) => p.conversations[group.id]?.mutedUntil === FOREVER)
    expect(await phone.call('conversations.muted')).toEqual([group.id])
  })
})
