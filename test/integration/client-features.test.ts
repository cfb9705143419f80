// Features reachable through the client core, each seen from both sides:
// groups (create, add, rename, join codes, leave), public rooms, contact
// invitations for people who accept chats from contacts only, clearing
// history, search, presence and typing.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, signUp, startClient, type SignedUp, type TestClient } from '../helpers/client'

let srv: TestServer
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer({ typingTimeoutMs: 2_000 })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

/** n clients signed up on the test server. */
async function people(n: number): Promise<Array<{ client: TestClient } & SignedUp>> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const client = await startClient()
      clients.push(client)
      return { client, ...(await signUp(client, srv.url)) }
    })
  )
}

const has = (id: string) => (c: { upserted: Array<{ id: string }> }) => c.upserted.some((x) => x.id === id)

describe('groups', () => {
  it('create, add a member, rename, join by code, leave: every member’s list follows', async () => {
    const [ann, bob, cat, dan] = await people(4)
    const group = await ann!.client.call('conversations.createGroup', { title: 'Launch', memberIds: [bob!.me.id] })
    expect(group).toMatchObject({ kind: 'group', title: 'Launch', createdBy: ann!.me.id })
    expect(group.members.map((m) => [m.user.id, m.role]).sort()).toEqual([
      [ann!.me.id, 'admin'],
      [bob!.me.id, 'member']
    ].sort())
    await bob!.client.waitFor('conversations', has(group.id))

    const added = await ann!.client.call('conversations.addMembers', { conversationId: group.id, userIds: [cat!.me.id] })
    expect(added.members.map((m) => m.user.id)).toContain(cat!.me.id)
    await cat!.client.waitFor('conversations', has(group.id))
    expect((await cat!.client.call('conversations.list')).map((c) => c.id)).toContain(group.id)

    const bobSince = bob!.client.mark()
    const renamed = await ann!.client.call('conversations.update', { conversationId: group.id, title: 'Launch v2', description: 'ship it' })
    expect(renamed).toMatchObject({ title: 'Launch v2', description: 'ship it' })
    await bob!.client.waitFor('conversations', (c) => c.upserted.some((x) => x.id === group.id && x.title === 'Launch v2'), 5_000, bobSince)
    expect((await bob!.client.call('conversations.get', { conversationId: group.id })).title).toBe('Launch v2')
    // The changes are in the history as system messages.
    // The description's message comes after the rename's: wait for the later one.
    await bob!.client.waitFor('messages', (m) => m.upserted.some((x) => x.system?.type === 'description_changed'), 5_000, bobSince)
    const systemTypes = (await bob!.client.call('messages.page', { conversationId: group.id })).messages.map((m) => m.system?.type)
    expect(systemTypes).toEqual(expect.arrayContaining(['members_added', 'group_renamed', 'description_changed']))

    const code = await ann!.client.call('conversations.createJoinCode', { conversationId: group.id, maxUses: 5 })
    expect(code).toMatchObject({ code: expect.stringMatching(/^[0-9A-Z]{10}$/), maxUses: 5, uses: 0 })
    expect(await ann!.client.call('conversations.getJoinCode', { conversationId: group.id })).toMatchObject({ code: code.code })
    // Typed the way a person reads it out: lower case, with a dash.
    const typed = `${code.code.slice(0, 5).toLowerCase()}-${code.code.slice(5)}`
    const joined = await dan!.client.call('conversations.join', { code: typed })
    expect(joined.id).toBe(group.id)
    expect((await dan!.client.call('conversations.list')).map((c) => c.id)).toContain(group.id)
    await ann!.client.waitFor('conversations', (c) => c.upserted.some((x) => x.id === group.id && x.members.some((m) => m.user.id === dan!.me.id)))
    expect(await ann!.client.call('conversations.getJoinCode', { conversationId: group.id })).toMatchObject({ uses: 1 })

    // A message reaches everyone, the newcomer included.
    await dan!.client.call('messages.send', { conversationId: group.id, text: 'hi all' })
    for (const p of [ann!, bob!, cat!]) await p.client.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'hi all'))

    const bobLeaves = bob!.client.mark()
    expect(await bob!.client.call('conversations.leave', { conversationId: group.id })).toBeNull()
    await bob!.client.waitFor('conversations', (c) => c.removed.includes(group.id), 5_000, bobLeaves)
    expect((await bob!.client.call('conversations.list')).map((c) => c.id)).not.toContain(group.id)
    expect((await bob!.client.callError('messages.page', { conversationId: group.id })).code).toBe('not_found')
    await ann!.client.waitFor('conversations', (c) =>
      c.upserted.some((x) => x.id === group.id && x.members.length === 3 && !x.members.some((m) => m.user.id === bob!.me.id))
    )

    // Removing someone takes the group off their list too.
    const catSince = cat!.client.mark()
    await ann!.client.call('conversations.removeMember', { conversationId: group.id, userId: cat!.me.id })
    await cat!.client.waitFor('conversations', (c) => c.removed.includes(group.id), 5_000, catSince)
    expect((await cat!.client.call('conversations.list')).map((c) => c.id)).not.toContain(group.id)
    // A member may not rename; the server's refusal reaches the renderer as a code.
    expect((await dan!.client.callError('conversations.update', { conversationId: group.id, title: 'mine now' })).code).toBe('forbidden')
  })
})

describe('rooms', () => {
  it('enter creates a room; others find it in the list, join it and talk there', async () => {
    const [ann, bob] = await people(2)
    const name = `lobby ${randomUUID().slice(0, 8)}`
    const room = await ann!.client.call('rooms.enter', { name, description: 'everyone welcome' })
    expect(room).toMatchObject({ kind: 'room', title: name })
    expect(await bob!.client.call('rooms.list', { query: name })).toEqual([
      expect.objectContaining({ id: room.id, name, description: 'everyone welcome', memberCount: 1, joined: false })
    ])
    const joined = await bob!.client.call('rooms.join', { roomId: room.id })
    expect(joined.id).toBe(room.id)
    expect((await bob!.client.call('conversations.list')).map((c) => c.id)).toContain(room.id)
    expect(await bob!.client.call('rooms.list', { query: name })).toEqual([expect.objectContaining({ id: room.id, memberCount: 2, joined: true })])
    // Entering by name again joins the same room.
    expect((await bob!.client.call('rooms.enter', { name })).id).toBe(room.id)

    await ann!.client.call('messages.send', { conversationId: room.id, text: 'welcome to the room' })
    await bob!.client.waitFor('messages', (m) => m.conversationId === room.id && m.upserted.some((x) => x.text === 'welcome to the room'))
    expect((await bob!.client.call('messages.page', { conversationId: room.id })).messages.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual([
      'welcome to the room'
    ])
  })
})

describe('contacts', () => {
  it('someone who accepts chats from contacts only gets an invitation instead; once accepted, the chat opens', async () => {
    const [ann, bob] = await people(2)
    const profile = await bob!.client.call('profile.update', { contactsOnlyDirect: true, statusText: 'contacts only' })
    expect(profile).toMatchObject({ id: bob!.me.id, contactsOnlyDirect: true, statusText: 'contacts only' })
    await bob!.client.waitFor('session', (s) => s.status === 'signed_in' && s.me.contactsOnlyDirect)

    const asked = await ann!.client.call('conversations.openDirect', { userId: bob!.me.id })
    if (!('invitation' in asked)) throw new Error('expected an invitation, got a conversation')
    expect(asked.invitation).toMatchObject({ status: 'pending', from: { id: ann!.me.id }, to: { id: bob!.me.id } })
    const heard = await bob!.client.waitFor('invitation', (i) => i.invitation.id === asked.invitation.id)
    expect(heard.invitation.status).toBe('pending')
    expect((await bob!.client.call('invitations.list')).incoming.map((i) => i.id)).toEqual([asked.invitation.id])
    expect((await ann!.client.call('invitations.list')).outgoing.map((i) => i.id)).toEqual([asked.invitation.id])

    expect(await bob!.client.call('invitations.accept', { invitationId: asked.invitation.id })).toMatchObject({ status: 'accepted' })
    await ann!.client.waitFor('invitation', (i) => i.invitation.id === asked.invitation.id && i.invitation.status === 'accepted')
    await ann!.client.waitFor('contacts', (c) => c.added.some((u) => u.id === bob!.me.id))
    expect((await ann!.client.call('contacts.list')).map((u) => u.id)).toEqual([bob!.me.id])
    expect((await bob!.client.call('contacts.list')).map((u) => u.id)).toEqual([ann!.me.id])

    const opened = await ann!.client.call('conversations.openDirect', { userId: bob!.me.id })
    if (!('conversation' in opened)) throw new Error('contacts should get a conversation')
    await bob!.client.waitFor('conversations', has(opened.conversation.id))

    // An invitation sent with a note can be declined.
    const [cat] = await people(1)
    const note = await cat!.client.call('invitations.send', { userId: bob!.me.id, message: 'from the meetup' })
    const declined = await bob!.client.call('invitations.decline', { invitationId: note.id })
    expect(declined).toMatchObject({ status: 'declined', message: 'from the meetup' })
    await cat!.client.waitFor('invitation', (i) => i.invitation.id === note.id && i.invitation.status === 'declined')
  })
})

describe('history and search', () => {
  it('clearing history empties the page for the one who cleared it only', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    for (const text of ['one', 'two']) await a.call('messages.send', { conversationId, text })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'two'))

    const since = b.mark()
    expect(await b.call('conversations.clear', { conversationId })).toEqual({ clearedSeq: 2 })
    expect(await b.waitFor('cleared', (c) => c.conversationId === conversationId, 5_000, since)).toEqual({ conversationId, clearedSeq: 2 })
    expect(await b.call('messages.page', { conversationId })).toEqual({ messages: [], pending: [], hasMore: false })
    expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({
      clearedSeq: 2,
      lastMessage: null,
      unreadCount: 0
    })
    expect((await a.call('messages.page', { conversationId })).messages.map((m) => m.text)).toEqual(['one', 'two'])

    await a.call('messages.send', { conversationId, text: 'three' })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'three'), 5_000, since)
    expect((await b.call('messages.page', { conversationId })).messages.map((m) => m.text)).toEqual(['three'])
  })

  it('search finds messages in the caller’s conversations only', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const word = `zebra${randomUUID().slice(0, 8)}`
    await a.call('messages.send', { conversationId, text: `the ${word} crossing` })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text.includes(word)))
    for (const who of [a, b]) {
      const found = await who.call('messages.search', { query: word })
      expect(found.results).toEqual([{ conversationId, message: expect.objectContaining({ text: `the ${word} crossing` }) }])
      expect(found.nextBefore).toBeNull()
    }
    const [outsider] = await people(1)
    expect((await outsider!.client.call('messages.search', { query: word })).results).toEqual([])
  })
})

describe('presence and typing', () => {
  it('presence lists who is online; typing and status changes reach the other side as events', async () => {
    const { a, b, bMe, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const listed = await a.call('presence.list', {})
    expect(listed).toEqual([expect.objectContaining({ userId: bMe.id, status: 'online', lastSeenAt: null })])
    expect(await a.call('presence.list', { userIds: [bMe.id] })).toEqual(listed)

    let since = a.mark()
    expect(await b.call('typing.start', { conversationId })).toBeNull()
    expect(await a.waitFor('typing', (t) => t.some((u) => u.userId === bMe.id && u.typing), 5_000, since)).toContainEqual({
      conversationId,
      userId: bMe.id,
      typing: true
    })
    since = a.mark()
    await b.call('typing.stop', { conversationId })
    await a.waitFor('typing', (t) => t.some((u) => u.userId === bMe.id && !u.typing), 5_000, since)

    since = a.mark()
    expect(await b.call('presence.set', { status: 'away' })).toEqual({ status: 'away' })
    await a.waitFor('presence', (p) => p.some((u) => u.userId === bMe.id && u.status === 'away'), 5_000, since)

    since = a.mark()
    await b.close()
    const offline = await a.waitFor('presence', (p) => p.some((u) => u.userId === bMe.id && u.status === 'offline'), 5_000, since)
    expect(offline.find((u) => u.userId === bMe.id)?.lastSeenAt).toEqual(expect.any(String))
  })
})
