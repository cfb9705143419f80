// Caps on open sockets: one session (a signed-in device) and one user (all
// their sessions) may hold only so many at once. The extra handshakes are
// refused with `too_many_connections`, the sockets already open keep working,
// and a socket that closes frees its place.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { HandshakeErrorData } from '../../src/shared/protocol'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, connect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

const PER_SESSION = 2
const PER_USER = 3

let srv: TestServer
const pool = new SocketPool()

beforeAll(async () => {
  srv = await startServer({ socketsPerSession: PER_SESSION, socketsPerUser: PER_USER })
})
afterEach(() => pool.closeAll())
afterAll(async () => {
  await srv.destroy()
})

/** Another session of the same user: a sign-in from another device. */
async function signIn(u: TestUser): Promise<string> {
  const res = await api(srv.url, 'POST', '/auth/login', { body: { username: u.user.username, password: u.password } })
  expect(res.status).toBe(200)
  return res.body.accessToken as string
}

/** The handshake's refusal (it must be refused). */
async function refusal(token: string): Promise<Error & { data?: HandshakeErrorData }> {
  return connect(srv.url, token).then(
    (s) => {
      s.close()
      throw new Error('the handshake was accepted')
    },
    (err: Error & { data?: HandshakeErrorData }) => err
  )
}

/** Connects once the server has seen a closed socket go (it hears of it a moment after the client). */
const admittedSoon = (token: string): Promise<ClientSocket> => vi.waitFor(() => pool.connect(srv.url, token), { timeout: 10_000, interval: 50 })

async function directChat(a: TestUser, b: TestUser): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'direct', userId: b.user.id } })
  return res.body.conversation.id as string
}

describe('socket caps', () => {
  it(`a session's sockets beyond ${PER_SESSION} are refused; those open still hear messages; closing one admits another`, async () => {
    const [alice, bob] = [await register(srv.url), await register(srv.url)]
    const conversationId = await directChat(alice, bob)
    const open = [await pool.connect(srv.url, alice.accessToken), await pool.connect(srv.url, alice.accessToken)]

    const refused = await refusal(alice.accessToken)
    expect(refused.data?.code).toBe('too_many_connections')
    expect(refused.message).toContain(String(PER_SESSION))
    expect(refused.message).toMatch(/close other tabs or windows/)

    const heard = open.map((s) => collect(s, 'message:new', 1))
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    const sent = await emitAck(bobSocket, 'message:send', { conversationId, clientId: randomUUID(), text: 'still there?' })
    expect(sent.ok).toBe(true)
    for (const got of await Promise.all(heard)) expect(got[0]!.message.text).toBe('still there?')
    expect((await emitAck(open[0]!, 'conversation:list', {})).ok).toBe(true)

    open[0]!.close()
    const again = await admittedSoon(alice.accessToken)
    expect(again.connected).toBe(true)
    // Full again.
    expect((await refusal(alice.accessToken)).data?.code).toBe('too_many_connections')
  })

  it(`a user's sockets beyond ${PER_USER} over several sessions are refused, whichever session asks`, async () => {
    const carol = await register(srv.url)
    const tokens = [carol.accessToken, await signIn(carol), await signIn(carol)]
    const open = [await pool.connect(srv.url, tokens[0]!), await pool.connect(srv.url, tokens[0]!), await pool.connect(srv.url, tokens[1]!)]
    const fresh = await signIn(carol)
    for (const token of [tokens[1]!, tokens[2]!, fresh]) {
      const refused = await refusal(token)
      expect(refused.data?.code).toBe('too_many_connections')
      expect(refused.message).toContain(String(PER_USER))
      expect(refused.message).toMatch(/other devices/)
    }
    // Another user is not affected.
    await pool.connect(srv.url, (await register(srv.url)).accessToken)

    open[2]!.close()
    await admittedSoon(tokens[2]!)
  })

  it('handshakes racing for the last places: exactly the cap gets in', async () => {
    const dave = await register(srv.url)
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => pool.connect(srv.url, dave.accessToken)))
    const admitted = attempts.filter((a) => a.status === 'fulfilled')
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [(a.reason as { data?: HandshakeErrorData }).data?.code] : []))
    expect(admitted).toHaveLength(PER_SESSION)
    expect(refused).toEqual(Array(12 - PER_SESSION).fill('too_many_connections'))
  })

  it('signing out a session closes its sockets and frees their places', async () => {
    const erin = await register(srv.url)
    const second = await api(srv.url, 'POST', '/auth/login', { body: { username: erin.user.username, password: erin.password } })
    const gone = [await pool.connect(srv.url, second.body.accessToken as string), await pool.connect(srv.url, second.body.accessToken as string)]
    await pool.connect(srv.url, erin.accessToken)
    expect((await refusal(erin.accessToken)).data?.code).toBe('too_many_connections')
    const disconnected = gone.map((s) => new Promise((resolve) => s.once('disconnect', resolve)))
    expect((await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: second.body.refreshToken } })).status).toBe(204)
    await Promise.all(disconnected)
    await admittedSoon(erin.accessToken)
    expect((await refusal(erin.accessToken)).data?.code).toBe('too_many_connections')
  })
})
