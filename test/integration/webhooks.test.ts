// Issue 21 item 6 against a real server on each engine: group admins make,
// list and revoke incoming webhooks; anything holding the URL posts as the
// webhook's bot (members hear it live, with its name and the bot mark); a
// wrong or revoked token is refused, and each webhook has its own budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import type { CreatedWebhook, Webhook } from '../../src/shared/schemas/webhooks'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collectWhere } from '../helpers/events'
import { connect, type ClientSocket } from '../helpers/socket'
import { expectError } from '../helpers/expect-error'

let srv: TestServer
let alice: TestUser
let bob: TestUser
const sockets: ClientSocket[] = []

const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
const hook = (token: string, body: unknown): Promise<ApiResponse> => api(srv.url, 'POST', `/hooks/${token}`, { body })

async function group(): Promise<Conversation> {
  const res = await as(alice, 'POST', '/conversations', { kind: 'group', title: 'Ops', memberIds: [bob.user.id] })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.conversation as Conversation
}

async function makeHook(conversationId: string, name = 'CI'): Promise<CreatedWebhook> {
  const res = await as(alice, 'POST', `/conversations/${conversationId}/webhooks`, { name })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.webhook as CreatedWebhook
}

beforeAll(async () => {
  srv = await startServer()
  alice = await register(srv.url)
  bob = await register(srv.url)
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await srv.destroy()
})

describe('incoming webhooks', () => {
  it('are made by group admins: the URL with its token is shown once, the list has no token, and its bot joins as a bot', async () => {
    const conv = await group()
    const webhook = await makeHook(conv.id, 'Build server')
    expect(webhook).toMatchObject({ conversationId: conv.id, name: 'Build server', createdBy: alice.user.id })
    expect(webhook.url).toBe(`${srv.url}/api/v1/hooks/${webhook.token}`)
    expect(webhook.token.length).toBeGreaterThanOrEqual(32)

    const list = await as(alice, 'GET', `/conversations/${conv.id}/webhooks`)
    expect(list.status).toBe(200)
    const listed = list.body.webhooks as Webhook[]
    expect(listed.map((w) => w.id)).toEqual([webhook.id])
    expect(JSON.stringify(listed)).not.toContain(webhook.token)

    const view = (await as(bob, 'GET', `/conversations/${conv.id}`)).body.conversation as Conversation
    const botMember = view.members.find((m) => m.user.id === webhook.botUserId)
    expect(botMember?.user).toMatchObject({ displayName: 'Build server', bot: true })
    const page = await as(bob, 'GET', `/conversations/${conv.id}/messages`)
    expect((page.body.messages as Message[]).at(-1)?.system).toEqual({ type: 'members_added', userIds: [webhook.botUserId] })
  })

  it('are refused to members who are not admins, and in direct chats, with words', async () => {
    const conv = await group()
    const refused = await as(bob, 'POST', `/conversations/${conv.id}/webhooks`, { name: 'Mine' })
    expectError(refused, 403, 'forbidden')
    expect(refused.body.error.message).toMatch(/admin/)
    expectError(await as(bob, 'GET', `/conversations/${conv.id}/webhooks`), 403, 'forbidden')
    const direct = (await as(alice, 'POST', '/conversations', { kind: 'direct', userId: bob.user.id })).body.conversation as Conversation
    const inDirect = await as(alice, 'POST', `/conversations/${direct.id}/webhooks`, { name: 'Mine' })
    expectError(inDirect, 403, 'forbidden')
    expect(inDirect.body.error.message).toMatch(/direct/)
    expectError(await as(alice, 'POST', `/conversations/${conv.id}/webhooks`, { name: '' }), 400, 'validation_failed')
  })

  it('post JSON { text, username } as the bot, through the normal send path: members hear it live with its name', async () => {
    const conv = await group()
    const webhook = await makeHook(conv.id, 'CI')
    const socket = await connect(srv.url, bob.accessToken)
    sockets.push(socket)
    const heard = collectWhere(socket, 'message:new', 1, (p) => p.message.conversationId === conv.id && p.message.text === 'build #12 passed')
    const res = await hook(webhook.token, { text: 'build #12 passed', username: 'Jenkins', icon_url: 'https://ci.example/icon.png' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const message = (await heard)[0]!.message
    expect(message).toMatchObject({ senderId: webhook.botUserId, botProfile: { name: 'Jenkins', iconUrl: null }, kind: 'text' })
    // Slack's form-encoded post (payload=<JSON>) is read too; a form without payload is refused with words.
    const form = await api(srv.url, 'POST', `/hooks/${webhook.token}`, {
      raw: new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    expect(form.status, JSON.stringify(form.body)).toBe(201)
    expect(form.body.message.text).toBe('from a form')
    const noPayload = await api(srv.url, 'POST', `/hooks/${webhook.token}`, { raw: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expectError(noPayload, 400, 'validation_failed')
    expect(noPayload.body.error.message).toMatch(/payload/)
    // Without a username it posts as the webhook's name; the history keeps both.
    expect((await hook(webhook.token, { text: 'deploy done' })).status).toBe(201)
    const page = (await as(bob, 'GET', `/conversations/${conv.id}/messages`)).body.messages as Message[]
    expect(page.slice(-3).map((m) => [m.text, m.botProfile?.name])).toEqual([
      ['build #12 passed', 'Jenkins'],
      ['from a form', 'CI'],
      ['deploy done', 'CI']
    ])
  })

  it('refuse a wrong token (404), a bad body (400 with words) and, once revoked, the old token', async () => {
    const conv = await group()
    const webhook = await makeHook(conv.id)
    expectError(await hook('A'.repeat(32), { text: 'hi' }), 404, 'not_found')
    expectError(await hook('not-a-token', { text: 'hi' }), 400, 'validation_failed')
    const noText = await hook(webhook.token, { username: 'x' })
    expectError(noText, 400, 'validation_failed')
    expect(noText.body.error.message).toMatch(/text/)
    expectError(await hook(webhook.token, { text: 'hi', icon_url: 'file:///etc/passwd' }), 400, 'validation_failed')

    expectError(await as(bob, 'DELETE', `/conversations/${conv.id}/webhooks/${webhook.id}`), 403, 'forbidden')
    expect((await as(alice, 'DELETE', `/conversations/${conv.id}/webhooks/${webhook.id}`)).status).toBe(204)
    expectError(await hook(webhook.token, { text: 'after revoke' }), 404, 'not_found')
    expect((await as(alice, 'GET', `/conversations/${conv.id}/webhooks`)).body.webhooks).toEqual([])
    expectError(await as(alice, 'DELETE', `/conversations/${conv.id}/webhooks/${webhook.id}`), 404, 'not_found')
    // Its bot left the group.
    const view = (await as(alice, 'GET', `/conversations/${conv.id}`)).body.conversation as Conversation
    expect(view.members.some((m) => m.user.id === webhook.botUserId)).toBe(false)
  })

  it('are limited per webhook: past the burst a post is refused 429 with retryAfterMs, and another webhook still posts', async () => {
    const conv = await group()
    const busy = await makeHook(conv.id, 'Busy')
    const quiet = await makeHook(conv.id, 'Quiet')
    let refused: ApiResponse | null = null
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await hook(busy.token, { text: `event ${i}` })
      if (res.status === 429) refused = res
      else expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    expect(refused).not.toBeNull()
    expectError(refused!, 429, 'rate_limited')
    expect(refused!.body.error.retryAfterMs).toBeGreaterThan(0)
    expect((await hook(quiet.token, { text: 'still here' })).status).toBe(201)
  })
})
