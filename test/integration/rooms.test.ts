import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RoomSummary } from '../../src/shared/schemas/rooms'
import { api, register, type TestUser } from '../helpers/http'
import { collect, connect, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const sockets: ClientSocket[] = []

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => {
  for (const s of sockets.splice(0)) s.close()
})
afterAll(() => srv.destroy())

const enter = (user: TestUser, name: string, description?: string) =>
  api(srv.url, 'POST', '/rooms', { token: user.accessToken, body: description === undefined ? { name } : { name, description } })
const browse = async (user: TestUser, q = ''): Promise<RoomSummary[]> =>
  (await api(srv.url, 'GET', `/rooms?q=${encodeURIComponent(q)}`, { token: user.accessToken })).body.rooms

describe('public rooms', () => {
  it('entering a new name creates the room; the same name in any case joins it', async () => {
    const created = await enter(alice, 'Coffee Corner', 'beans and gossip')
    expect(created.status).toBe(201)
    const room = created.body.conversation
    expect(room).toMatchObject({ kind: 'room', title: 'Coffee Corner', description: 'beans and gossip' })
    expect(room.members).toEqual([expect.objectContaining({ role: 'admin', user: expect.objectContaining({ id: alice.user.id }) })])

    const joined = await enter(bob, '  coffee CORNER ')
    expect(joined.status).toBe(200)
    expect(joined.body.conversation.id).toBe(room.id)
    expect(joined.body.conversation.members).toHaveLength(2)
    expect((await enter(bob, 'Coffee Corner')).status).toBe(200) // already in it: no change
    const page = await api(srv.url, 'GET', `/conversations/${room.id}/messages`, { token: bob.accessToken })
    expect(page.body.messages.map((m: { system?: { type: string } }) => m.system?.type)).toEqual(['group_created', 'member_joined'])
  })

  it('anyone can browse and search rooms, and sees whether they are in each', async () => {
    await enter(alice, 'Release Train')
    await enter(carol, 'Lunch Orders', 'who gets what at noon')
    const all = await browse(bob)
    const names = all.map((r) => r.name)
    expect(names).toEqual(expect.arrayContaining(['Release Train', 'Lunch Orders']))
    const byDescription = await browse(bob, 'NOON')
    expect(byDescription.map((r) => r.name)).toEqual(['Lunch Orders'])
    expect(byDescription[0]).toMatchObject({ memberCount: 1, joined: false })
    const mine = await browse(carol, 'lunch')
    expect(mine[0]!.joined).toBe(true)
    expect(await browse(bob, 'no room is called this')).toEqual([])
  })

  it('joining from the list by id: a stranger becomes a member who reads and writes, announced live', async () => {
    const room = (await enter(alice, 'Open Floor')).body.conversation
    const aliceSocket = await connect(srv.url, alice.accessToken)
    sockets.push(aliceSocket)
    const aliceHears = collect(aliceSocket, 'message:new', 1)
    // Before joining, the room is readable only by its members.
    expect((await api(srv.url, 'GET', `/conversations/${room.id}/messages`, { token: carol.accessToken })).status).toBe(403)
    const joined = await api(srv.url, 'POST', `/rooms/${room.id}/join`, { token: carol.accessToken })
    expect(joined.status).toBe(201)
    expect((await aliceHears)[0]!.message.system).toEqual({ type: 'member_joined', userId: carol.user.id, via: 'room' })
    expect((await api(srv.url, 'POST', `/rooms/${room.id}/join`, { token: carol.accessToken })).status).toBe(200)
    const sent = await api(srv.url, 'POST', `/conversations/${room.id}/messages`, {
      token: carol.accessToken,
      body: { clientId: randomUUID(), text: 'hello floor' }
    })
    expect(sent.status).toBe(201)
    // A group is not a room: it cannot be joined by id.
    const group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'private', memberIds: [] } }))
      .body.conversation
    expect((await api(srv.url, 'POST', `/rooms/${group.id}/join`, { token: carol.accessToken })).status).toBe(404)
  })

  it('leaving works without asking; an empty room stays, and the next one in runs it', async () => {
    const room = (await enter(bob, 'Quiet Room')).body.conversation
    expect((await api(srv.url, 'DELETE', `/conversations/${room.id}/members/${bob.user.id}`, { token: bob.accessToken })).status).toBe(204)
    const listed = (await browse(alice, 'quiet room'))[0]!
    expect(listed).toMatchObject({ id: room.id, memberCount: 0 })
    const back = await enter(alice, 'quiet room')
    expect(back.status).toBe(200)
    expect(back.body.conversation.members).toEqual([expect.objectContaining({ role: 'admin' })])
  })

  it('names stay unique when an admin renames a room; rooms need no join code', async () => {
    const first = (await enter(alice, 'Alpha')).body.conversation
    await enter(alice, 'Beta')
    const clash = await api(srv.url, 'PATCH', `/conversations/${first.id}`, { token: alice.accessToken, body: { title: 'BETA' } })
    expect(clash.status).toBe(409)
    expect(clash.body.error.message).toMatch(/already exists/)
    const renamed = await api(srv.url, 'PATCH', `/conversations/${first.id}`, { token: alice.accessToken, body: { title: 'Alpha Prime' } })
    expect(renamed.status).toBe(200)
    expect((await enter(bob, 'alpha prime')).body.conversation.id).toBe(first.id)
    expect((await enter(bob, 'Alpha')).status).toBe(201) // the old name is free again
    const code = await api(srv.url, 'POST', `/conversations/${first.id}/join-code`, { token: alice.accessToken, body: {} })
    expect(code.status).toBe(409)
  })
})
