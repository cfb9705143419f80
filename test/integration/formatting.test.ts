// Markdown in message text on the server: search finds the words inside the
// syntax, and a reply quotes the words, not the stars and brackets.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SearchResponse } from '../../src/shared/schemas/search'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let chat: string

async function send(user: TestUser, body: Record<string, unknown>): Promise<{ seq: number; replyTo?: { preview: string } }> {
  const res = await api(srv.url, 'POST', `/conversations/${chat}/messages`, { token: user.accessToken, body: { clientId: randomUUID(), ...body } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.message
}
async function found(user: TestUser, q: string): Promise<string[]> {
  const res = await api<SearchResponse>(srv.url, 'GET', `/search?q=${encodeURIComponent(q)}`, { token: user.accessToken })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.results.map((r) => r.message.text)
}

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
  chat = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body.conversation.id
})
afterAll(() => srv.destroy())

describe('formatted messages', () => {
  it('are found by the words inside the Markdown', async () => {
    await send(alice, { text: 'This is **bold** and ~~struck~~ and `deployScript`' })
    await send(alice, { text: '[the handbook](https://example.org/handbook) is _updated_' })
    expect(await found(bob, 'bold')).toEqual(['This is **bold** and ~~struck~~ and `deployScript`'])
    expect(await found(bob, 'struck')).toHaveLength(1)
    expect(await found(bob, 'deployscript')).toHaveLength(1)
    expect(await found(bob, 'handbook updated')).toEqual(['[the handbook](https://example.org/handbook) is _updated_'])
  })

  it('are quoted in a reply as plain words', async () => {
    const original = await send(alice, { text: '**Release** on _Friday_:\n\n- `v2.1`\n- [notes](https://example.org/notes)' })
    const reply = await send(bob, { text: 'ok', replyTo: original.seq })
    expect(reply.replyTo?.preview).toBe('Release on Friday: v2.1 notes')
  })
})
