// Limits on guessing short secrets (join codes, passwords, reset codes) that
// one careless or hostile client cannot turn against the others behind the
// same address: the token is checked before a join is counted, join failures
// count per user, and each address has a ceiling across accounts far above
// one person's limit (against password spraying).
import { afterEach, describe, expect, it } from 'vitest'
import { api, register, uniqueName, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

const WRONG_CODE = 'ABCDEFGHJK'

let srv: TestServer | null = null
afterEach(async () => {
  await srv?.destroy()
  srv = null
})

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  srv = await startServer(options)
  return srv
}

/** A group of `owner`'s and a valid join code for it. */
async function groupWithCode(url: string, owner: TestUser): Promise<{ id: string; code: string }> {
  const made = await api(url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'joinable', memberIds: [] } })
  expect(made.status).toBe(201)
  const id = made.body.conversation.id as string
  const code = await api(url, 'POST', `/conversations/${id}/join-code`, { token: owner.accessToken, body: {} })
  expect(code.status).toBe(201)
  return { id, code: code.body.joinCode.code as string }
}

const join = (url: string, code: string, token?: string): Promise<ApiResponse> =>
  api(url, 'POST', '/join', { ...(token ? { token } : {}), body: { code } })

async function times(count: number, attempt: () => Promise<ApiResponse>): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < count; i++) statuses.push((await attempt()).status)
  return statuses
}

function expectLimited(res: ApiResponse, mentions: RegExp): void {
  expect(res.status).toBe(429)
  expect(res.body.error.code).toBe('rate_limited')
  expect(res.body.error.message).toMatch(mentions)
  expect(res.body.error.retryAfterMs).toBeGreaterThan(0)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
}

describe('join codes', () => {
  it('anonymous guesses are answered 401 and not counted: a signed-in user with a valid code still joins', async () => {
    const { url } = await server()
    const owner = await register(url)
    const group = await groupWithCode(url, owner)
    for (const res of await Promise.all(Array.from({ length: 12 }, () => join(url, WRONG_CODE)))) {
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('unauthorized')
    }
    const erin = await register(url)
    expect((await join(url, group.code, erin.accessToken)).status).toBe(201)
  })

  it("one user's failures limit that user, not another user at the same address", async () => {
    const { url } = await server({ loginLimit: { windowMs: 60_000, max: 3, perAddressMax: 9 } })
    const owner = await register(url)
    const group = await groupWithCode(url, owner)
    const [mallory, erin] = [await register(url), await register(url)]
    expect(await times(3, () => join(url, WRONG_CODE, mallory.accessToken))).toEqual([404, 404, 404])
    expectLimited(await join(url, group.code, mallory.accessToken), /join attempts; /)
    // Refused attempts go on; they do not eat into the address's ceiling (9), so erin is not refused with mallory.
    expect(await times(10, () => join(url, WRONG_CODE, mallory.accessToken))).toEqual(Array(10).fill(429))
    expect((await join(url, group.code, erin.accessToken)).status).toBe(201)
  })

  it('the address has a ceiling across users', async () => {
    const { url } = await server({ loginLimit: { windowMs: 60_000, max: 3, perAddressMax: 9 } })
    const owner = await register(url)
    const group = await groupWithCode(url, owner)
    const guessers = [await register(url), await register(url), await register(url)]
    for (const user of guessers) expect(await times(3, () => join(url, WRONG_CODE, user.accessToken))).toEqual([404, 404, 404])
    const newcomer = await register(url)
    expectLimited(await join(url, group.code, newcomer.accessToken), /join attempts from this address/)
  })

  it('by default a user may fail 10 times and the address 100 times', async () => {
    const { url } = await server()
    const owner = await register(url)
    const group = await groupWithCode(url, owner)
    const users = await Promise.all(Array.from({ length: 11 }, () => register(url)))
    for (const user of users.slice(0, 10)) {
      expect(await times(10, () => join(url, WRONG_CODE, user.accessToken))).toEqual(Array(10).fill(404))
    }
    expectLimited(await join(url, group.code, users[0]!.accessToken), /join attempts; /)
    expectLimited(await join(url, group.code, users[10]!.accessToken), /from this address/)
  })
})

describe('sign-ins', () => {
  const wrongSignIn = (url: string, username = uniqueName('sprayed')): Promise<ApiResponse> =>
    api(url, 'POST', '/auth/login', { body: { username, password: 'Summer2026!' } })

  it('failed sign-ins across usernames from one address stop at 100 (password spraying); a correct one is then refused too', async () => {
    // Test servers' low scrypt cost makes 100 sign-ins cheap.
    const { url } = await server()
    const alice = await register(url)
    expect(await times(100, () => wrongSignIn(url))).toEqual(Array(100).fill(401))
    expectLimited(await wrongSignIn(url), /sign-in attempts from this address/)
    expectLimited(await api(url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } }), /from this address/)
  })

  it('wrong reset codes share the address ceiling with wrong passwords', async () => {
    const { url } = await server({ loginLimit: { windowMs: 60_000, max: 3, perAddressMax: 6 } })
    const alice = await register(url)
    expect(await times(3, () => wrongSignIn(url))).toEqual([401, 401, 401])
    const wrongReset = (): Promise<ApiResponse> =>
      api(url, 'POST', '/auth/reset-password', { body: { username: uniqueName('sprayed'), code: WRONG_CODE, password: 'a brand new password' } })
    expect(await times(3, wrongReset)).toEqual([400, 400, 400])
    expectLimited(await wrongReset(), /from this address/)
    expectLimited(await api(url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } }), /from this address/)
  })

  it("one username's lock does not count against the address: others still sign in", async () => {
    const { url } = await server({ loginLimit: { windowMs: 60_000, max: 3, perAddressMax: 6 } })
    const [alice, bob] = [await register(url), await register(url)]
    expect(await times(3, () => wrongSignIn(url, alice.user.username))).toEqual([401, 401, 401])
    expect(await times(10, () => wrongSignIn(url, alice.user.username))).toEqual(Array(10).fill(429))
    expect((await api(url, 'POST', '/auth/login', { body: { username: bob.user.username, password: bob.password } })).status).toBe(200)
  })
})
