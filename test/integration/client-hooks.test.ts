// Webhooks and bots (issue 21 item 6) through the client core, as the window
// calls it: a group admin makes a webhook and gets its URL once; a post to it
// reaches another member's cache with the bot's profile and the bot mark on
// its member; a server admin manages bots and their tokens; offline, the
// management calls fail with words instead of hanging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../helpers/http'
import { pageAll, signUp, startClient, startProxy, type TcpProxy, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let proxy: TcpProxy
/** The server's first account, so its admin; also the group admin below. */
let alice: TestClient
const clients: TestClient[] = []

async function client(): Promise<TestClient> {
  const c = await startClient()
  clients.push(c)
  return c
}

beforeAll(async () => {
  srv = await startServer()
  proxy = await startProxy(srv.url)
  alice = await client()
  await signUp(alice, srv.url)
})
afterAll(async () => {
  for (const c of clients) await c.destroy()
  await proxy.close()
  await srv.destroy()
})

describe('webhooks and bots in the client core', () => {
  it('a webhook made by the group admin posts into the members\' caches as its bot', async () => {
    const bob = await client()
    const { me: bobMe } = await signUp(bob, proxy.url)
    const group = await alice.call('conversations.createGroup', { title: 'Ops', memberIds: [bobMe.id] })
    const webhook = await alice.call('webhooks.create', { conversationId: group.id, name: 'CI' })
    expect(webhook.url).toContain(`/api/v1/hooks/${webhook.token}`)
    expect((await alice.call('webhooks.list', { conversationId: group.id })).map((w) => w.id)).toEqual([webhook.id])
    expect((await bob.callError('webhooks.list', { conversationId: group.id })).code).toBe('forbidden')

    const since = bob.mark()
    const posted = await api(srv.url, 'POST', `/hooks/${webhook.token}`, { body: { text: 'build passed', username: 'Jenkins' } })
    expect(posted.status).toBe(201)
    await bob.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'build passed'), undefined, since)
    const cached = (await pageAll(bob, group.id)).find((m) => m.text === 'build passed')
    expect(cached).toMatchObject({ senderId: webhook.botUserId, botProfile: { name: 'Jenkins', iconUrl: null } })
    const conversation = (await bob.call('conversations.list')).find((c) => c.id === group.id)
    expect(conversation?.members.find((m) => m.user.id === webhook.botUserId)?.user.bot).toBe(true)

    await alice.call('webhooks.revoke', { conversationId: group.id, webhookId: webhook.id })
    expect((await api(srv.url, 'POST', `/hooks/${webhook.token}`, { body: { text: 'again' } })).status).toBe(404)

    // Offline, management fails with words rather than hanging.
    proxy.block()
    const offline = await bob.callError('webhooks.list', { conversationId: group.id })
    expect(offline.code).not.toBe('internal')
    proxy.restore()
  })

  it('server admins manage bots and make tokens shown once', async () => {
    const root = alice
    const bots = await root.call('admin.bots')
    const group = await root.call('conversations.createGroup', { title: 'Printers', memberIds: [] })
    const bot = await root.call('admin.createBot', { username: `printer${process.pid}`, displayName: 'Printer', conversationIds: [group.id] })
    expect(bot.conversationIds).toEqual([group.id])
    const { token, secret } = await root.call('admin.createBotToken', { botId: bot.user.id })
    expect(secret).toMatch(/^mbot_/)
    expect((await root.call('admin.bots')).length).toBe(bots.length + 1)
    const renamed = await root.call('admin.updateBot', { botId: bot.user.id, patch: { displayName: 'Laser' } })
    expect(renamed.user.displayName).toBe('Laser')
    await root.call('admin.revokeBotToken', { botId: bot.user.id, tokenId: token.id })
    expect((await api(srv.url, 'GET', '/conversations', { token: secret })).status).toBe(401)
    await root.call('admin.deleteBot', { botId: bot.user.id })
    expect((await root.callError('admin.deleteBot', { botId: bot.user.id })).code).toBe('not_found')
  })
})
