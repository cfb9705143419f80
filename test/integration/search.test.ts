import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SearchResponse } from '../../src/shared/schemas/search'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser

async function chat(a: TestUser, b: TestUser): Promise<string> {
  return (await api(srv.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'direct', userId: b.user.id } })).body.conversation
    .id as string
}
async function send(user: TestUser, id: string, text: string): Promise<number> {
  const res = await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: user.accessToken, body: { clientId: randomUUID(), text } })
  return res.body.message.seq as number
}
async function search(user: TestUser, q: string, extra = ''): Promise<SearchResponse> {
  const res = await api<SearchResponse>(srv.url, 'GET', `/search?q=${encodeURIComponent(q)}${extra}`, { token: user.accessToken })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}
const texts = (r: SearchResponse): string[] => r.results.map((x) => x.message.text)

let ab: string
let bc: string

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
  ab = await chat(alice, bob)
  bc = await chat(bob, carol)
  await send(alice, ab, 'The server room keys are in the top drawer')
  await send(bob, ab, 'Meet at the Café at noon?')
  await send(bob, bc, 'carol: the server is down again')
  await send(alice, ab, 'Deploying the new SERVER build tonight')
})
afterAll(() => srv.destroy())

describe('message search', () => {
  it('finds parts of words, in any case and without accents, newest first, in the caller’s conversations only', async () => {
    expect(texts(await search(alice, 'erve'))).toEqual(['Deploying the new SERVER build tonight', 'The server room keys are in the top drawer'])
    expect(texts(await search(alice, 'cafe'))).toEqual(['Meet at the Café at noon?'])
    // Bob is in both chats; Carol only sees hers.
    expect(await search(bob, 'server')).toMatchObject({ results: expect.arrayContaining([expect.objectContaining({ conversationId: bc })]) })
    expect((await search(bob, 'server')).results).toHaveLength(3)
    expect(texts(await search(carol, 'server'))).toEqual(['carol: the server is down again'])
    // Every word must match.
    expect(texts(await search(alice, 'server drawer'))).toEqual(['The server room keys are in the top drawer'])
    expect((await search(alice, 'nothing like this')).results).toEqual([])
  })

  it('pages with nextBefore until the end', async () => {
    const id = await chat(carol, alice)
    for (let i = 1; i <= 7; i++) await send(carol, id, `report number ${i}`)
    const seen: string[] = []
    let before = ''
    for (;;) {
      const page = await search(carol, 'report', `&limit=3${before}`)
      seen.push(...texts(page))
      if (!page.nextBefore) break
      before = `&before=${page.nextBefore}`
    }
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((i) => `report number ${i}`))
  })

  it('follows edits and deletions, respects cleared history and lost membership', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'search', memberIds: [bob.user.id] } }))
      .body.conversation.id as string
    const typo = await send(alice, id, 'the quarterly numbres are ready')
    await api(srv.url, 'PATCH', `/conversations/${id}/messages/${typo}`, { token: alice.accessToken, body: { text: 'the quarterly numbers are ready' } })
    expect((await search(bob, 'numbres')).results).toEqual([])
    expect(texts(await search(bob, 'numbers'))).toEqual(['the quarterly numbers are ready'])
    const secret = await send(alice, id, 'password is hunter2')
    await api(srv.url, 'DELETE', `/conversations/${id}/messages/${secret}`, { token: alice.accessToken })
    expect((await search(bob, 'hunter2')).results).toEqual([])

    await api(srv.url, 'POST', `/conversations/${id}/clear`, { token: bob.accessToken })
    expect((await search(bob, 'quarterly')).results).toEqual([])
    expect((await search(alice, 'quarterly')).results).toHaveLength(1)
    await send(alice, id, 'quarterly review moved')
    await api(srv.url, 'DELETE', `/conversations/${id}/members/${bob.user.id}`, { token: alice.accessToken })
    expect((await search(bob, 'quarterly')).results).toEqual([])
  })

  it('asks for at least one word of 3 characters', async () => {
    const res = await api(srv.url, 'GET', '/search?q=ab%20c', { token: alice.accessToken })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/3 or more characters/)
    expect((await api(srv.url, 'GET', '/search', { token: alice.accessToken })).status).toBe(400)
  })

  it('rebuilds a lost index from the message log at start', async () => {
    await srv.stop()
    for (const f of ['search.sqlite', 'search.sqlite-wal', 'search.sqlite-shm']) await rm(join(srv.dataDir, f), { force: true })
    srv = await startServer({}, srv.dataDir)
    const deadline = Date.now() + 20_000
    let found: string[][] = []
    // The catch-up runs in the background, one conversation after another; poll until it has reached both chats.
    while (Date.now() < deadline) {
      found = [texts(await search(alice, 'drawer')), texts(await search(alice, 'numbers'))]
      if (found.every((f) => f.length > 0)) break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(found).toEqual([['The server room keys are in the top drawer'], ['the quarterly numbers are ready']])
  })
})
