// Issue 21 item 6 against a real server on each engine: server admins make
// bot accounts, choose their conversations and give them tokens; a bot token
// reads and sends there, over REST and the socket, and is refused anything
// else with words; a revoked token stops at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Bot, CreatedBotTokenResponse } from '../../src/shared/schemas/bots'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, uniqueName, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collectWhere } from '../helpers/events'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { expectError } from '../helpers/expect-error'

let srv: TestServer
let admin: TestUser
let bob: TestUser
let team: Conversation
let other: Conversation
const sockets: ClientSocket[] = []

const call = (token: string, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token, ...(body !== undefined ? { body } : {}) })
const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> => call(user.accessToken, method, path, body)

async function makeBot(conversationIds: string[]): Promise<{ bot: Bot; secret: string; tokenId: string }> {
  const res = await as(admin, 'POST', '/admin/bots', { username: uniqueName('bot'), displayName: 'Printer', conversationIds })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const bot = res.body.bot as Bot
  const token = await as(admin, 'POST', `/admin/bots/${bot.user.id}/tokens`)
  expect(token.status, JSON.stringify(token.body)).toBe(201)
  const made = token.body as CreatedBotTokenResponse
  return { bot, secret: made.secret, tokenId: made.token.id }
}

beforeAll(async () => {
  srv = await startServer()
  admin = await register(srv.url)
  bob = await register(srv.url)
  team = (await as(bob, 'POST', '/conversations', { kind: 'group', title: 'Team', memberIds: [] })).body.conversation as Conversation
  other = (await as(bob, 'POST', '/conversations', { kind: 'group', title: 'Other', memberIds: [] })).body.conversation as Conversation
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await srv.destroy()
})

describe('bot accounts', () => {
  it('are made by server admins only, joined to the chosen conversations with a system message, and listed with their tokens', async () => {
    expectError(await as(bob, 'POST', '/admin/bots', { username: uniqueName('bot'), displayName: 'Mine' }), 403, 'forbidden')
    expectError(await as(bob, 'GET', '/admin/bots'), 403, 'forbidden')
    const { bot, tokenId, secret } = await makeBot([team.id])
    expect(bot.user).toMatchObject({ displayName: 'Printer', bot: true })
    expect(bot.conversationIds).toEqual([team.id])
    const listed = ((await as(admin, 'GET', '/admin/bots')).body.bots as Bot[]).find((b) => b.user.id === bot.user.id)
    expect(listed?.tokens.map((t) => t.id)).toEqual([tokenId])
    expect(JSON.stringify(listed)).not.toContain(secret)
    const page = (await as(bob, 'GET', `/conversations/${team.id}/messages`)).body.messages as Message[]
    expect(page.at(-1)?.system).toEqual({ type: 'members_added', userIds: [bot.user.id] })
    // A bot never signs in.
    expectError(await api(srv.url, 'POST', '/auth/login', { body: { username: bot.user.username, password: 'anything at all' } }), 401, 'invalid_credentials')
  })

  it('read and send over REST only where they were put; anything else is refused 403 with words', async () => {
    const { bot, secret } = await makeBot([team.id])
    const mine = (await call(secret, 'GET', '/conversations')).body.conversations as Conversation[]
    expect(mine.map((c) => c.id)).toEqual([team.id])
    const sent = await call(secret, 'POST', `/conversations/${team.id}/messages`, { clientId: crypto.randomUUID(), text: 'toner low' })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect((sent.body.message as Message).senderId).toBe(bot.user.id)
    expect((await call(secret, 'GET', `/conversations/${team.id}/messages`)).status).toBe(200)

    expectError(await call(secret, 'POST', `/conversations/${other.id}/messages`, { clientId: crypto.randomUUID(), text: 'x' }), 403, 'forbidden')
    expectError(await call(secret, 'GET', `/conversations/${other.id}/messages`), 403, 'forbidden')
    const create = await call(secret, 'POST', '/conversations', { kind: 'group', title: 'Bots only', memberIds: [] })
    expectError(create, 403, 'forbidden')
    expect(create.body.error.message).toMatch(/bot token/)
    expectError(await call(secret, 'GET', '/contacts'), 403, 'forbidden')
    expectError(await call(secret, 'GET', '/admin/bots'), 403, 'forbidden')

    // People cannot widen its scope: people search leaves it out, no direct chat with it, no adding it to a group.
    const found = await as(bob, 'GET', `/users?q=${encodeURIComponent(bot.user.username)}`)
    expect(found.status).toBe(200)
    expect((found.body.users as { id: string }[]).some((u) => u.id === bot.user.id)).toBe(false)
    expectError(await as(bob, 'POST', '/conversations', { kind: 'direct', userId: bot.user.id }), 403, 'forbidden')
    expectError(await as(bob, 'POST', `/conversations/${other.id}/members`, { userIds: [bot.user.id] }), 403, 'forbidden')
  })

  it('use the socket in their conversations only, and a revoked token is cut and refused at once', async () => {
    const { bot, secret, tokenId } = await makeBot([team.id])
    const bobSocket = await connect(srv.url, bob.accessToken)
    const botSocket = await connect(srv.url, secret)
    sockets.push(bobSocket, botSocket)
    const heard = collectWhere(bobSocket, 'message:new', 1, (p) => p.message.senderId === bot.user.id)
    const ack = await emitAck<{ message: Message }>(botSocket, 'message:send', { conversationId: team.id, clientId: crypto.randomUUID(), text: 'paper jam' })
    expect(ack.ok).toBe(true)
    expect((await heard)[0]!.message.text).toBe('paper jam')
    const elsewhere = await emitAck(botSocket, 'message:send', { conversationId: other.id, clientId: crypto.randomUUID(), text: 'x' })
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const presence = await emitAck(botSocket, 'presence:set', { status: 'away' })
    expect(presence).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const cut = new Promise<void>((resolve) => botSocket.once('disconnect', () => resolve()))
    expect((await as(admin, 'DELETE', `/admin/bots/${bot.user.id}/tokens/${tokenId}`)).status).toBe(204)
    await cut
    expectError(await call(secret, 'GET', '/conversations'), 401, 'invalid_token')
    await expect(connect(srv.url, secret)).rejects.toThrow()
  })

  it('change scope by PATCH (joining and leaving, recorded) and stop working when deleted', async () => {
    const { bot, secret } = await makeBot([team.id])
    const patched = await as(admin, 'PATCH', `/admin/bots/${bot.user.id}`, { conversationIds: [other.id], displayName: 'Scanner' })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body.bot).toMatchObject({ conversationIds: [other.id], user: { displayName: 'Scanner' } })
    expectError(await call(secret, 'GET', `/conversations/${team.id}/messages`), 403, 'forbidden')
    expect((await call(secret, 'GET', `/conversations/${other.id}/messages`)).status).toBe(200)
    expectError(await as(admin, 'PATCH', `/admin/bots/${bot.user.id}`, {}), 400, 'validation_failed')

    expect((await as(admin, 'DELETE', `/admin/bots/${bot.user.id}`)).status).toBe(204)
    expectError(await call(secret, 'GET', '/conversations'), 401, 'invalid_token')
    expect(((await as(admin, 'GET', '/admin/bots')).body.bots as Bot[]).some((b) => b.user.id === bot.user.id)).toBe(false)
    expectError(await as(admin, 'DELETE', `/admin/bots/${bot.user.id}`), 404, 'not_found')
  })
})
