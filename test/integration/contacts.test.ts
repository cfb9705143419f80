import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Invitation } from '../../src/shared/schemas/contacts'
import type { PublicUser } from '../../src/shared/schemas/users'
import { record } from '../helpers/events'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

const DAY_MS = 24 * 3600_000

let srv: TestServer
let now = Date.now()
const pool = new SocketPool()

function online(user: TestUser): Promise<ClientSocket> {
  return pool.connect(srv.url, user.accessToken)
}

/** Fresh people for each test, so no test depends on another's contacts. */
const people = async (n: number): Promise<TestUser[]> => Promise.all(Array.from({ length: n }, () => register(srv.url)))

const call = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body === undefined ? {} : { body }) })

async function invite(from: TestUser, to: TestUser, message?: string): Promise<Invitation> {
  const res = await call(from, 'POST', '/invitations', message === undefined ? { userId: to.user.id } : { userId: to.user.id, message })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.invitation as Invitation
}

const contactsOf = async (user: TestUser): Promise<string[]> =>
  ((await call(user, 'GET', '/contacts')).body.contacts as PublicUser[]).map((u) => u.id)

const pendingOf = async (user: TestUser): Promise<{ incoming: string[]; outgoing: string[] }> => {
  const { incoming, outgoing } = (await call(user, 'GET', '/invitations')).body as { incoming: Invitation[]; outgoing: Invitation[] }
  return { incoming: incoming.map((i) => i.id), outgoing: outgoing.map((i) => i.id) }
}

const directChat = (from: TestUser, to: TestUser): Promise<ApiResponse> => call(from, 'POST', '/conversations', { kind: 'direct', userId: to.user.id })
const onlyContacts = async (user: TestUser, on = true): Promise<void> => {
  const res = await call(user, 'PATCH', '/me', { contactsOnlyDirect: on })
  expect(res.body.user.contactsOnlyDirect).toBe(on)
}

beforeAll(async () => {
  srv = await startServer({ clock: () => now })
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('contact invitations', () => {
  it('an invitation reaches the recipient live; accepting makes both contacts, and both are told', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    const [annSocket, benSocket] = await Promise.all([online(ann), online(ben)])
    const benHears = collect(benSocket, 'invitation:new', 1)
    const annOtherDevice = collect(annSocket, 'invitation:new', 1)

    const sent = await invite(ann, ben, '  Hi Ben, it is Ann from accounting \n')
    expect(sent).toMatchObject({
      from: { id: ann.user.id, username: ann.user.username },
      to: { id: ben.user.id },
      message: 'Hi Ben, it is Ann from accounting',
      status: 'pending',
      respondedAt: null
    })
    expect((await benHears)[0]!.invitation).toEqual(sent)
    expect((await annOtherDevice)[0]!.invitation.id).toBe(sent.id)
    expect(await pendingOf(ben)).toEqual({ incoming: [sent.id], outgoing: [] })
    expect(await pendingOf(ann)).toEqual({ incoming: [], outgoing: [sent.id] })

    const updates = [collect(annSocket, 'invitation:updated', 1), collect(benSocket, 'invitation:updated', 1)]
    const added = [collect(annSocket, 'contact:added', 1), collect(benSocket, 'contact:added', 1)] as const
    const accepted = await call(ben, 'POST', `/invitations/${sent.id}/accept`, {})
    expect(accepted.status).toBe(200)
    expect(accepted.body.invitation).toMatchObject({ id: sent.id, status: 'accepted', respondedAt: expect.any(String) })
    for (const update of await Promise.all(updates)) expect(update[0]!.invitation).toEqual(accepted.body.invitation)
    const [annAdded, benAdded] = await Promise.all(added)
    expect(annAdded[0]!.user).toEqual(ben.user)
    expect(benAdded[0]!.user).toEqual(ann.user)

    expect(await contactsOf(ann)).toEqual([ben.user.id])
    expect(await contactsOf(ben)).toEqual([ann.user.id])
    expect(await pendingOf(ann)).toEqual({ incoming: [], outgoing: [] })
    expect(await pendingOf(ben)).toEqual({ incoming: [], outgoing: [] })
  })

  it('declining tells both; the sender may not invite the same person again for a day', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    const annSocket = await online(ann)
    const sent = await invite(ann, ben)
    expect(sent.message).toBeNull()
    const annTold = collect(annSocket, 'invitation:updated', 1)
    const contactEvents = record(annSocket, 'contact:added')

    const declined = await call(ben, 'POST', `/invitations/${sent.id}/decline`, {})
    expect(declined.status).toBe(200)
    expect(declined.body.invitation).toMatchObject({ status: 'declined' })
    expect((await annTold)[0]!.invitation.status).toBe('declined')
    expect(await contactsOf(ann)).toEqual([])

    const again = await call(ann, 'POST', '/invitations', { userId: ben.user.id })
    expect(again.status).toBe(429)
    expect(again.body.error.code).toBe('rate_limited')
    expect(again.body.error.message).toMatch(/declined your invitation; you can invite them again after/)
    // The rest of the cooldown (a day), in the body and in Retry-After.
    expect(again.body.error.retryAfterMs).toBeGreaterThan(DAY_MS - 60_000)
    expect(Number(again.headers.get('retry-after'))).toBe(Math.ceil(again.body.error.retryAfterMs / 1000))
    // Asking for a chat instead is no way around it when ben takes chats from contacts only.
    await onlyContacts(ben)
    expect((await directChat(ann, ben)).status).toBe(429)
    expect(await pendingOf(ben)).toEqual({ incoming: [], outgoing: [] })

    // Ben may still invite ann: the cooldown holds back only the one who was declined.
    const reverse = await invite(ben, ann)
    expect((await call(ben, 'DELETE', `/invitations/${reverse.id}`)).status).toBe(204)

    now += DAY_MS + 1000
    const later = await invite(ann, ben, 'one more try')
    expect(later.id).not.toBe(sent.id)
    expect(await pendingOf(ben)).toEqual({ incoming: [later.id], outgoing: [] })
    // Nothing above made them contacts.
    await emitAck(annSocket, 'conversation:list', {})
    expect(contactEvents).toEqual([])
  })

  it('the sender can cancel: it leaves the recipient\'s list, both are told, and inviting again works', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    const benSocket = await online(ben)
    const sent = await invite(ann, ben)
    const benTold = collect(benSocket, 'invitation:updated', 1)
    expect((await call(ann, 'DELETE', `/invitations/${sent.id}`)).status).toBe(204)
    expect((await benTold)[0]!.invitation).toMatchObject({ id: sent.id, status: 'cancelled' })
    expect(await pendingOf(ben)).toEqual({ incoming: [], outgoing: [] })
    expect((await call(ben, 'POST', `/invitations/${sent.id}/accept`, {})).status).toBe(409)
    const again = await invite(ann, ben)
    expect(await pendingOf(ben)).toEqual({ incoming: [again.id], outgoing: [] })
  })

  it('only the recipient answers and only the sender cancels (403); unknown is 404, answered is 409', async () => {
    const [ann, ben, cat] = (await people(3)) as [TestUser, TestUser, TestUser]
    const sent = await invite(ann, ben)
    const refused = [
      await call(ann, 'POST', `/invitations/${sent.id}/accept`, {}),
      await call(ann, 'POST', `/invitations/${sent.id}/decline`, {}),
      await call(ben, 'DELETE', `/invitations/${sent.id}`),
      await call(cat, 'POST', `/invitations/${sent.id}/accept`, {}),
      await call(cat, 'POST', `/invitations/${sent.id}/decline`, {}),
      await call(cat, 'DELETE', `/invitations/${sent.id}`)
    ]
    for (const res of refused) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect(refused[0]!.body.error.message).toMatch(/only the person invited/)
    expect(refused[2]!.body.error.message).toMatch(/only the sender/)
    expect(await pendingOf(ben)).toEqual({ incoming: [sent.id], outgoing: [] })

    for (const path of [`/invitations/${randomUUID()}/accept`, `/invitations/${randomUUID()}/decline`]) {
      const res = await call(ben, 'POST', path, {})
      expect(res.status).toBe(404)
      expect(res.body.error.message).toMatch(/invitation not found/)
    }
    expect((await call(ann, 'DELETE', `/invitations/${randomUUID()}`)).status).toBe(404)

    expect((await call(ben, 'POST', `/invitations/${sent.id}/accept`, {})).status).toBe(200)
    for (const res of [
      await call(ben, 'POST', `/invitations/${sent.id}/accept`, {}),
      await call(ben, 'POST', `/invitations/${sent.id}/decline`, {}),
      await call(ann, 'DELETE', `/invitations/${sent.id}`)
    ]) {
      expect(res.status).toBe(409)
      expect(res.body.error.message).toMatch(/already accepted/)
    }
    expect(await contactsOf(ben)).toEqual([ann.user.id])
  })

  it('refuses a second invitation while one is pending, an invitation to a contact, to oneself or to nobody', async () => {
    const [ann, ben, cat] = (await people(3)) as [TestUser, TestUser, TestUser]
    const sent = await invite(ann, ben)
    const twice = await call(ann, 'POST', '/invitations', { userId: ben.user.id, message: 'did you see my invitation?' })
    expect(twice.status).toBe(409)
    expect(twice.body.error.message).toMatch(/already invited/)
    await call(ben, 'POST', `/invitations/${sent.id}/accept`, {})
    for (const [from, to] of [
      [ann, ben],
      [ben, ann]
    ] as const) {
      const res = await call(from, 'POST', '/invitations', { userId: to.user.id })
      expect(res.status).toBe(409)
      expect(res.body.error.message).toMatch(/already contacts/)
    }
    const self = await call(cat, 'POST', '/invitations', { userId: cat.user.id })
    expect(self.status).toBe(400)
    expect(self.body.error.message).toMatch(/userId: you cannot invite yourself/)
    const nobody = await call(cat, 'POST', '/invitations', { userId: randomUUID() })
    expect(nobody.status).toBe(404)
    expect(await pendingOf(cat)).toEqual({ incoming: [], outgoing: [] })
  })

  it('inviting someone who already invited you accepts their invitation (200): no second invitation', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    const [annSocket, benSocket] = await Promise.all([online(ann), online(ben)])
    const annNew = record(annSocket, 'invitation:new')
    const sent = await invite(ann, ben)
    const told = [collect(annSocket, 'invitation:updated', 1), collect(benSocket, 'invitation:updated', 1)]
    const added = [collect(annSocket, 'contact:added', 1), collect(benSocket, 'contact:added', 1)] as const

    const mutual = await call(ben, 'POST', '/invitations', { userId: ann.user.id, message: 'same idea!' })
    expect(mutual.status).toBe(200)
    expect(mutual.body.invitation).toMatchObject({ id: sent.id, from: { id: ann.user.id }, to: { id: ben.user.id }, status: 'accepted' })
    for (const t of await Promise.all(told)) expect(t[0]!.invitation.status).toBe('accepted')
    const [annAdded, benAdded] = await Promise.all(added)
    expect(annAdded[0]!.user.id).toBe(ben.user.id)
    expect(benAdded[0]!.user.id).toBe(ann.user.id)
    expect(await contactsOf(ann)).toEqual([ben.user.id])
    expect(await contactsOf(ben)).toEqual([ann.user.id])
    // Only ann's invitation was ever announced.
    expect(annNew.map((p) => p.invitation.id)).toEqual([sent.id])
  })

  it('lists contacts by display name, both ways', async () => {
    const [ann, ben, cat, dan] = (await people(4)) as [TestUser, TestUser, TestUser, TestUser]
    await call(ben, 'PATCH', '/me', { displayName: 'Zoe' })
    await call(cat, 'PATCH', '/me', { displayName: 'Adam' })
    for (const other of [ben, cat]) {
      const sent = await invite(ann, other)
      await call(other, 'POST', `/invitations/${sent.id}/accept`, {})
    }
    const sent = await invite(dan, ann)
    await call(ann, 'POST', `/invitations/${sent.id}/accept`, {})
    const list = (await call(ann, 'GET', '/contacts')).body.contacts as PublicUser[]
    // Dan kept the display name he registered with: his username, "user…".
    expect(list.map((u) => u.displayName)).toEqual(['Adam', dan.user.displayName, 'Zoe'])
    expect(list.map((u) => u.id)).toEqual([cat.user.id, dan.user.id, ben.user.id])
    expect(list[0]).toEqual({ ...cat.user, displayName: 'Adam' })
    for (const other of [ben, cat, dan]) expect(await contactsOf(other)).toEqual([ann.user.id])
  })

  it('removing a contact ends it for both, tells both, and lets them invite each other again', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    const sent = await invite(ann, ben)
    await call(ben, 'POST', `/invitations/${sent.id}/accept`, {})
    const [annSocket, benSocket] = await Promise.all([online(ann), online(ben)])
    const removed = [collect(annSocket, 'contact:removed', 1), collect(benSocket, 'contact:removed', 1)] as const

    expect((await call(ben, 'DELETE', `/contacts/${ann.user.id}`)).status).toBe(204)
    const [annRemoved, benRemoved] = await Promise.all(removed)
    expect(annRemoved[0]).toEqual({ userId: ben.user.id })
    expect(benRemoved[0]).toEqual({ userId: ann.user.id })
    expect(await contactsOf(ann)).toEqual([])
    expect(await contactsOf(ben)).toEqual([])
    const again = await call(ann, 'DELETE', `/contacts/${ben.user.id}`)
    expect(again.status).toBe(404)
    expect(again.body.error.message).toMatch(/contact not found/)
    expect((await call(ann, 'DELETE', `/contacts/${randomUUID()}`)).status).toBe(404)
    await invite(ann, ben)
  })

  it('invitations and contacts survive a restart', async () => {
    const [ann, ben, cat] = (await people(3)) as [TestUser, TestUser, TestUser]
    const accepted = await invite(ann, ben)
    await call(ben, 'POST', `/invitations/${accepted.id}/accept`, {})
    const pending = await invite(cat, ann, 'still waiting')
    await onlyContacts(cat)
    await srv.stop()
    srv = await startServer({ clock: () => now }, srv.dataDir)

    expect(await contactsOf(ann)).toEqual([ben.user.id])
    const list = (await call(ann, 'GET', '/invitations')).body
    expect(list.incoming).toEqual([pending])
    expect((await call(cat, 'GET', '/me')).body.user.contactsOnlyDirect).toBe(true)
    expect((await call(ann, 'POST', `/invitations/${pending.id}/accept`, {})).status).toBe(200)
    expect(await contactsOf(cat)).toEqual([ann.user.id])
  })
})

describe('"only contacts may start a direct chat with me"', () => {
  it('is off by default and shown in GET /me', async () => {
    const [ann] = (await people(1)) as [TestUser]
    expect((await call(ann, 'GET', '/me')).body.user).toMatchObject({ contactsOnlyDirect: false, hideLastSeen: false })
    await onlyContacts(ann)
    expect((await call(ann, 'GET', '/me')).body.user.contactsOnlyDirect).toBe(true)
    // Others do not see the setting.
    expect(Object.keys((await call(ann, 'GET', `/users?q=${ann.user.username}`)).body.users[0])).not.toContain('contactsOnlyDirect')
  })

  it("a stranger's direct chat becomes an invitation (202); once accepted, the chat starts", async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    await onlyContacts(ben)
    const [annSocket, benSocket] = await Promise.all([online(ann), online(ben)])
    const benInvited = collect(benSocket, 'invitation:new', 1)
    const benChats = record(benSocket, 'conversation:new')

    const asked = await directChat(ann, ben)
    expect(asked.status).toBe(202)
    const invitation = asked.body.invitation as Invitation
    expect(invitation).toMatchObject({ from: { id: ann.user.id }, to: { id: ben.user.id }, status: 'pending', message: null })
    expect((await benInvited)[0]!.invitation).toEqual(invitation)
    // Asking again returns the same pending invitation, and still no chat.
    const again = await directChat(ann, ben)
    expect(again.status).toBe(202)
    expect(again.body.invitation).toEqual(invitation)
    expect((await call(ann, 'GET', '/conversations')).body.conversations).toEqual([])
    expect((await call(ben, 'GET', '/conversations')).body.conversations).toEqual([])
    expect(await pendingOf(ben)).toEqual({ incoming: [invitation.id], outgoing: [] })

    const annAdded = collect(annSocket, 'contact:added', 1)
    await call(ben, 'POST', `/invitations/${invitation.id}/accept`, {})
    expect((await annAdded)[0]!.user.id).toBe(ben.user.id)
    const benGetsChat = collect(benSocket, 'conversation:new', 1)
    const chat = await directChat(ann, ben)
    expect(chat.status).toBe(201)
    expect((await benGetsChat)[0]!.conversation.id).toBe(chat.body.conversation.id)
    expect(benChats).toHaveLength(1)
  })

  it('an existing direct chat keeps working after the setting is turned on or the contact is removed', async () => {
    const [ann, ben, cat] = (await people(3)) as [TestUser, TestUser, TestUser]
    const chat = await directChat(ann, ben)
    expect(chat.status).toBe(201)
    await onlyContacts(ben)
    const reopened = await directChat(ann, ben)
    expect(reopened.status).toBe(200)
    expect(reopened.body.conversation.id).toBe(chat.body.conversation.id)
    const sent = await call(ann, 'POST', `/conversations/${chat.body.conversation.id}/messages`, { clientId: 'still-1', text: 'still here' })
    expect(sent.status).toBe(201)

    // A contact's chat, then the contact is removed: the chat stays.
    const invitation = await invite(cat, ben)
    await call(ben, 'POST', `/invitations/${invitation.id}/accept`, {})
    const catChat = await directChat(cat, ben)
    expect(catChat.status).toBe(201)
    await call(ben, 'DELETE', `/contacts/${cat.user.id}`)
    expect((await directChat(cat, ben)).status).toBe(200)
  })

  it('does not stop the person who set it, nor chats with oneself; turning it off lets strangers in again', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    await onlyContacts(ben)
    expect((await directChat(ben, ben)).status).toBe(201)
    const outgoing = await directChat(ben, ann)
    expect(outgoing.status).toBe(201)
    expect((await directChat(ann, ben)).status).toBe(200)

    const [cat] = (await people(1)) as [TestUser]
    expect((await directChat(cat, ben)).status).toBe(202)
    await onlyContacts(ben, false)
    expect((await directChat(cat, ben)).status).toBe(201)
  })

  it('if the contacts-only person had already invited the stranger, asking for a chat accepts it and the chat starts', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    await onlyContacts(ben)
    const invitation = await invite(ben, ann)
    const benSocket = await online(ben)
    const benAdded = collect(benSocket, 'contact:added', 1)
    const benUpdated = collect(benSocket, 'invitation:updated', 1)
    const chat = await directChat(ann, ben)
    expect(chat.status).toBe(201)
    expect((await benAdded)[0]!.user.id).toBe(ann.user.id)
    expect((await benUpdated)[0]!.invitation).toMatchObject({ id: invitation.id, status: 'accepted' })
    expect(await contactsOf(ann)).toEqual([ben.user.id])
  })

  it('an unknown person is still 404, and group creation is not affected', async () => {
    const [ann, ben] = (await people(2)) as [TestUser, TestUser]
    await onlyContacts(ben)
    expect((await call(ann, 'POST', '/conversations', { kind: 'direct', userId: randomUUID() })).status).toBe(404)
    const group = await call(ann, 'POST', '/conversations', { kind: 'group', title: 'Team', memberIds: [ben.user.id] })
    expect(group.status).toBe(201)
  })
})

describe('bad input on the contact routes', () => {
  let ann: TestUser
  let ben: TestUser
  let pending: Invitation
  beforeAll(async () => {
    ;[ann, ben] = (await people(2)) as [TestUser, TestUser]
    pending = await invite(ann, ben)
  })

  it.for([
    [{}, 'userId'],
    [{ userId: 'ben' }, 'userId'],
    [{ userId: 42 }, 'userId'],
    [{ userId: null }, 'userId'],
    [{ userId: '{ben}', message: 'x'.repeat(281) }, 'message'],
    [{ userId: '{ben}', message: 'bell\u0007' }, 'message'],
    [{ userId: '{ben}', message: 7 }, 'message'],
    [{ userId: '{ben}', note: 'hi' }, 'note']
  ] as const)('POST /invitations %j → 400 naming %s', async ([body, field]) => {
    const filled = JSON.parse(JSON.stringify(body).replace('{ben}', ben.user.id)) as unknown
    const res = await call(ann, 'POST', '/invitations', filled)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) })
  })

  it('a note of exactly 280 characters, with newlines, is fine; a blank one is no note', async () => {
    const [cat, dan] = (await people(2)) as [TestUser, TestUser]
    const note = `${'x'.repeat(139)}\n${'y'.repeat(140)}`
    expect((await invite(cat, dan, note)).message).toBe(note)
    expect((await invite(dan, ann, '   ')).message).toBeNull()
  })

  it('refuses malformed ids, calls without a token, a setting that is not a boolean, and answers without {}', async () => {
    for (const [method, path] of [
      ['POST', '/invitations/not-a-uuid/accept'],
      ['POST', '/invitations/12345/decline'],
      ['DELETE', `/invitations/${randomUUID()}x`],
      ['DELETE', '/contacts/ben']
    ] as const) {
      const res = await call(ben, method, path)
      expect(res.status, `${method} ${path}`).toBe(400)
      expect(res.body.error.message).toMatch(/^path\.(id|userId)/)
    }
    for (const [method, path] of [
      ['GET', '/invitations'],
      ['GET', '/contacts'],
      ['POST', `/invitations/${pending.id}/accept`],
      ['DELETE', `/contacts/${ann.user.id}`]
    ] as const) {
      expect((await api(srv.url, method, path)).status, `${method} ${path}`).toBe(401)
    }
    expect((await call(ann, 'PATCH', '/me', { contactsOnlyDirect: 'yes' })).body.error.message).toMatch(/contactsOnlyDirect/)
    // Answers take an empty JSON object, like every POST.
    const noBody = await call(ben, 'POST', `/invitations/${pending.id}/accept`)
    expect(noBody.status).toBe(400)
    expect(noBody.body.error.message).toMatch(/request body must be JSON/)
    const extra = await call(ben, 'POST', `/invitations/${pending.id}/decline`, { reason: 'spam' })
    expect(extra.status).toBe(400)
    expect(extra.body.error.message).toMatch(/reason/)
    expect(await pendingOf(ben)).toEqual({ incoming: [pending.id], outgoing: [] })
  })
})
