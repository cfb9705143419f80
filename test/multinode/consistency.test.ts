// What one server guaranteed by doing things one at a time in its process,
// checked with two server processes on one database: requests for the same
// thing sent at the same moment, half through each node. The first accounts
// make one admin and one account per name; a join code or a sign-up invite
// with N uses lets N in; two people inviting each other make one contact;
// people entering a room nobody runs make one admin; a reset code works
// once; a refresh token refreshed through both nodes at once rotates once;
// and a token one node issued is accepted by the other.
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../helpers/cluster'
import { api, uniqueName, type ApiResponse, type TestUser } from '../helpers/http'
import { connect } from '../helpers/socket'
import { clusterSuite } from './suite'

const PASSWORD = 'correct horse battery'
/** Accounts signed up in the first-account race; the later tests use them. */
const SIGN_UPS = 12

let cluster: Cluster
/** Node i's URL: requests pick their node, the balancer is not involved. */
const node = (i: number): string => cluster.node(i % 2).url
let users: TestUser[] = []
let admin: TestUser

clusterSuite({ nodes: 2 }, (c) => (cluster = c))

/** Starts every request of `count` at once, the k-th through node k % 2, and answers them all. */
function atOnce<T = any>(count: number, request: (nodeUrl: string, k: number) => Promise<ApiResponse<T>>): Promise<ApiResponse<T>[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => request(node(k), k)))
}

const statuses = (answers: ApiResponse[]): number[] => answers.map((a) => a.status).sort()

function signUp(nodeUrl: string, username: string, inviteCode?: string): Promise<ApiResponse> {
  return api(nodeUrl, 'POST', '/auth/register', { body: { username, password: PASSWORD, ...(inviteCode ? { inviteCode } : {}) } })
}

const asUser = (res: ApiResponse): TestUser => ({ ...res.body, password: PASSWORD }) as TestUser

describe('two nodes on one database', () => {
  it('the first accounts signed up at once through both nodes make one admin, and one name makes one account', async () => {
    const names = Array.from({ length: SIGN_UPS }, () => uniqueName('first'))
    // The same new name, in two spellings, through each node at the same moment as the rest.
    const twin = uniqueName('twin')
    const answers = await Promise.all([
      ...names.map((name, k) => signUp(node(k), name)),
      signUp(node(0), twin),
      signUp(node(1), twin.toUpperCase())
    ])
    const created = answers.slice(0, SIGN_UPS)
    expect(statuses(created)).toEqual(Array(SIGN_UPS).fill(201))
    expect(statuses(answers.slice(SIGN_UPS))).toEqual([201, 409])
    expect(answers.slice(SIGN_UPS).find((a) => a.status === 409)?.body.error.code).toBe('username_taken')
    users = created.map(asUser)
    const everyone = [...users, asUser(answers.slice(SIGN_UPS).find((a) => a.status === 201)!)]

    // Exactly one of them may administer the server, whichever node is asked.
    const verdicts = await Promise.all(everyone.map((u, k) => api(node(k), 'GET', '/admin/users', { token: u.accessToken })))
    expect(statuses(verdicts)).toEqual([200, ...Array(SIGN_UPS).fill(403)])
    admin = everyone[verdicts.findIndex((v) => v.status === 200)]!
    const listed = await api(node(1), 'GET', '/admin/users', { token: admin.accessToken })
    const admins = (listed.body.users as { username: string; serverAdmin: boolean }[]).filter((u) => u.serverAdmin)
    expect(admins.map((u) => u.username)).toEqual([admin.user.username])
    expect(listed.body.users.filter((u: { username: string }) => u.username.toLowerCase() === twin.toLowerCase())).toHaveLength(1)
  })

  it('a token issued by node 0 is accepted by node 1, over REST and in the socket handshake; its refresh token refreshes there', async () => {
    const res = await api(node(0), 'POST', '/auth/login', { body: { username: users[1]!.user.username, password: PASSWORD } })
    expect(res.status).toBe(200)
    const me = await api(node(1), 'GET', '/me', { token: res.body.accessToken })
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(users[1]!.user.id)
    const socket = await connect(node(1), res.body.accessToken)
    expect(socket.connected).toBe(true)
    socket.close()
    const refreshed = await api(node(1), 'POST', '/auth/refresh', { body: { refreshToken: res.body.refreshToken } })
    expect(refreshed.status).toBe(200)
    expect((await api(node(0), 'GET', '/me', { token: refreshed.body.accessToken })).status).toBe(200)
  })

  it('one refresh token refreshed through both nodes at the same moment rotates once: every answer is a working session, none is lost, nothing is revoked', async () => {
    // TokenService's rule: a rotated refresh token presented again within the
    // reuse grace (30 s) gets a fresh token rather than revoking the session
    // (it covers concurrent refreshes and lost responses); the family's row
    // lock orders them, so each sees the rotation before it and none is lost.
    const session = await api(node(1), 'POST', '/auth/login', { body: { username: users[2]!.user.username, password: PASSWORD } })
    const ATTEMPTS = 10
    const answers = await atOnce(ATTEMPTS, (url) => api(url, 'POST', '/auth/refresh', { body: { refreshToken: session.body.refreshToken } }))
    expect(statuses(answers)).toEqual(Array(ATTEMPTS).fill(200))
    const next = answers.map((a) => a.body.refreshToken as string)
    expect(new Set(next).size).toBe(ATTEMPTS)
    // Every new pair works on either node: the session was not revoked, and no rotation overwrote another.
    const used = await Promise.all(next.map((refreshToken, k) => api(node(k + 1), 'POST', '/auth/refresh', { body: { refreshToken } })))
    expect(statuses(used)).toEqual(Array(ATTEMPTS).fill(200))
    const checks = await Promise.all(used.map((a, k) => api(node(k), 'GET', '/me', { token: a.body.accessToken })))
    expect(statuses(checks)).toEqual(Array(ATTEMPTS).fill(200))
  })

  it('a join code with 3 uses lets 3 of 8 people in, joining at once through both nodes; one person joining twice at once counts once', async () => {
    const group = await api(node(0), 'POST', '/conversations', { token: admin.accessToken, body: { kind: 'group', title: 'joined by code', memberIds: [] } })
    expect(group.status).toBe(201)
    const groupId = group.body.conversation.id as string
    const made = await api(node(1), 'POST', `/conversations/${groupId}/join-code`, { token: admin.accessToken, body: { maxUses: 3 } })
    expect(made.status).toBe(201)
    const code = made.body.joinCode.code as string

    const joiners = users.filter((u) => u !== admin).slice(0, 8)
    const answers = await atOnce(joiners.length, (url, k) => api(url, 'POST', '/join', { token: joiners[k]!.accessToken, body: { code } }))
    expect(statuses(answers)).toEqual([201, 201, 201, 410, 410, 410, 410, 410])
    for (const refused of answers.filter((a) => a.status === 410)) expect(refused.body.error.code).toBe('join_code_expired')
    const joined = joiners.filter((_, k) => answers[k]!.status === 201).map((u) => u.user.id)
    const after = await api(node(1), 'GET', `/conversations/${groupId}`, { token: admin.accessToken })
    expect((after.body.conversation.members as { user: { id: string } }[]).map((m) => m.user.id).sort()).toEqual([admin.user.id, ...joined].sort())
    expect((await api(node(0), 'GET', `/conversations/${groupId}/join-code`, { token: admin.accessToken })).body.joinCode).toMatchObject({ uses: 3, maxUses: 3 })

    // One person, both nodes, one moment: one join, one "already a member", one use.
    const twice = await api(node(0), 'POST', `/conversations/${groupId}/join-code`, { token: admin.accessToken, body: { maxUses: 2 } })
    const again = twice.body.joinCode.code as string
    const outsider = joiners.find((u) => !joined.includes(u.user.id))!
    const both = await atOnce(2, (url) => api(url, 'POST', '/join', { token: outsider.accessToken, body: { code: again } }))
    expect(statuses(both)).toEqual([200, 201])
    expect((await api(node(1), 'GET', `/conversations/${groupId}/join-code`, { token: admin.accessToken })).body.joinCode.uses).toBe(1)
  })

  it('an invitation sent many times at once through both nodes is sent once', async () => {
    const [from, to] = [users[3]!, users[4]!]
    const answers = await atOnce(8, (url) => api(url, 'POST', '/invitations', { token: from.accessToken, body: { userId: to.user.id } }))
    expect(statuses(answers)).toEqual([201, ...Array(7).fill(409)])
    const pending = await api(node(1), 'GET', '/invitations', { token: to.accessToken })
    expect(pending.body.incoming.filter((i: { from: { id: string } }) => i.from.id === from.user.id)).toHaveLength(1)
  })

  it('two people inviting each other at the same moment through different nodes become contacts once, with nothing left pending', async () => {
    const pairs: [TestUser, TestUser][] = [
      [users[5]!, users[6]!],
      [users[7]!, users[8]!],
      [users[9]!, users[10]!]
    ]
    const answers = await Promise.all(
      pairs.flatMap(([a, b]) => [
        api(node(0), 'POST', '/invitations', { token: a.accessToken, body: { userId: b.user.id } }),
        api(node(1), 'POST', '/invitations', { token: b.accessToken, body: { userId: a.user.id } })
      ])
    )
    for (let p = 0; p < pairs.length; p++) {
      const [a, b] = pairs[p]!
      // One invitation sent, and the other person's invitation accepting it.
      expect(statuses(answers.slice(2 * p, 2 * p + 2))).toEqual([200, 201])
      const contactsOfA = await api(node(1), 'GET', '/contacts', { token: a.accessToken })
      expect(contactsOfA.body.contacts.map((u: { id: string }) => u.id)).toEqual([b.user.id])
      const contactsOfB = await api(node(0), 'GET', '/contacts', { token: b.accessToken })
      expect(contactsOfB.body.contacts.map((u: { id: string }) => u.id)).toEqual([a.user.id])
      for (const [u, i] of [[a, 0], [b, 1]] as const) {
        const pending = await api(node(i), 'GET', '/invitations', { token: u.accessToken })
        expect([...pending.body.incoming, ...pending.body.outgoing]).toEqual([])
      }
    }
  })

  it('an invitation accepted and cancelled at the same moment through different nodes ends one way, and the contact follows it', async () => {
    const [from, to] = [users[11]!, users[3]!]
    const sent = await api(node(0), 'POST', '/invitations', { token: from.accessToken, body: { userId: to.user.id } })
    expect(sent.status).toBe(201)
    const id = sent.body.invitation.id as string
    const [accepted, cancelled] = await Promise.all([
      api(node(0), 'POST', `/invitations/${id}/accept`, { token: to.accessToken, body: {} }),
      api(node(1), 'DELETE', `/invitations/${id}`, { token: from.accessToken })
    ])
    // Whichever came first: accepted (200) and then too late to cancel (409), or cancelled (204) and then too late to accept.
    expect([[200, 409], [409, 204]]).toContainEqual([accepted.status, cancelled.status])
    const contacts = await api(node(1), 'GET', '/contacts', { token: from.accessToken })
    expect(contacts.body.contacts.map((u: { id: string }) => u.id)).toEqual(accepted.status === 200 ? [to.user.id] : [])
  })

  it('people entering a public room nobody runs, at once through both nodes, make one admin; one person entering twice at once joins once', async () => {
    const founder = users[5]!
    const made = await api(node(0), 'POST', '/rooms', { token: founder.accessToken, body: { name: uniqueName('lobby') } })
    expect(made.status).toBe(201)
    const roomId = made.body.conversation.id as string
    expect((await api(node(1), 'DELETE', `/conversations/${roomId}/members/${founder.user.id}`, { token: founder.accessToken })).status).toBeLessThan(300)

    const entering = [users[6]!, users[7]!, users[8]!, users[9]!]
    const answers = await atOnce(entering.length, (url, k) => api(url, 'POST', `/rooms/${roomId}/join`, { token: entering[k]!.accessToken }))
    expect(statuses(answers)).toEqual([201, 201, 201, 201])
    const room = await api(node(1), 'GET', `/conversations/${roomId}`, { token: entering[0]!.accessToken })
    const members = room.body.conversation.members as { user: { id: string }; role: string }[]
    expect(members.map((m) => m.user.id).sort()).toEqual(entering.map((u) => u.user.id).sort())
    expect(members.filter((m) => m.role === 'admin')).toHaveLength(1)

    const twice = users[10]!
    const both = await atOnce(2, (url) => api(url, 'POST', `/rooms/${roomId}/join`, { token: twice.accessToken }))
    expect(statuses(both)).toEqual([200, 201])
    const history = await api(node(0), 'GET', `/conversations/${roomId}/messages?limit=100`, { token: twice.accessToken })
    const joins = (history.body.messages as { system?: { type: string; userId?: string } }[]).filter(
      (m) => m.system?.type === 'member_joined' && m.system.userId === twice.user.id
    )
    expect(joins).toHaveLength(1)
  })

  it('a password reset code used at once through both nodes works once', async () => {
    // Not the admin: a reset signs its account out everywhere.
    const user = users.filter((u) => u !== admin).at(-1)!
    const issued = await api(node(0), 'POST', `/admin/users/${user.user.id}/reset-password`, { token: admin.accessToken, body: {} })
    expect(issued.status).toBe(201)
    const passwords = Array.from({ length: 6 }, (_, k) => `new password number ${k}`)
    const answers = await atOnce(passwords.length, (url, k) =>
      api(url, 'POST', '/auth/reset-password', { body: { username: user.user.username, code: issued.body.code, password: passwords[k] } })
    )
    expect(statuses(answers)).toEqual([200, 400, 400, 400, 400, 400])
    for (const refused of answers.filter((a) => a.status !== 200)) expect(refused.body.error.code).toBe('reset_code_invalid')
    const chosen = passwords[answers.findIndex((a) => a.status === 200)]!
    expect((await api(node(1), 'POST', '/auth/login', { body: { username: user.user.username, password: chosen } })).status).toBe(200)
  })

  it('a sign-up invite with 2 uses makes 2 of 6 accounts signed up at once through both nodes', async () => {
    const settings = await api(node(0), 'PATCH', '/admin/settings', { token: admin.accessToken, body: { registration: 'invite' } })
    expect(settings.status).toBe(200)
    const invite = await api(node(1), 'POST', '/admin/invites', { token: admin.accessToken, body: { maxUses: 2 } })
    expect(invite.status).toBe(201)
    const code = invite.body.invite.code as string
    const answers = await atOnce(6, (url) => signUp(url, uniqueName('invited'), code))
    expect(statuses(answers)).toEqual([201, 201, 403, 403, 403, 403].sort())
    for (const refused of answers.filter((a) => a.status !== 201)) expect(refused.body.error.code).toBe('invite_invalid')
    const invites = await api(node(0), 'GET', '/admin/invites', { token: admin.accessToken })
    expect(invites.body.invites.find((i: { code: string }) => i.code === code)).toMatchObject({ uses: 2, maxUses: 2 })
  })
})
