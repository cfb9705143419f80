// A real client core (the main process's logic, in plain Node) with its own
// temp user-data directory, talking to a real server; plus what the client
// tests need around it: signing up, a direct chat between two clients, a
// fetch that counts and blocks token refreshes, and a TCP proxy to cut a
// client's connection without stopping the server.
import type { FileHost } from '../../src/main/core/transfers/file-host'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientCore } from '../../src/main/core/client'
import { silentLogger, type Logger } from '../../src/main/core/logger'
import { fileSecretStorage } from '../../src/main/core/secret-store'
import { LIMITS } from '../../src/shared/limits'
import type { Message } from '../../src/shared/schemas/messages'
import type { Me } from '../../src/shared/schemas/users'
import type {
  AccountSummary,
  IpcMethod,
  IpcRequest,
  IpcResponse,
  MessengerEvent,
  MessengerEventName,
  MessengerEvents
} from '../../src/shared/ipc'
import type { MdnsOptions } from '../../src/shared/discovery'
import type { HostingOptions } from '../../src/main/core/hosting/controller'
import { uniqueName } from './http'

export const PASSWORD = 'correct horse battery'

export interface TestClient {
  core: ClientCore
  userDataDir: string
  /** Calls a method as the renderer would; throws on an error result (with its code in the message). */
  call<M extends IpcMethod>(method: M, request?: IpcRequest<M>): Promise<IpcResponse<M>>
  /** The error code of a call that must fail (throws if it succeeds). */
  callError<M extends IpcMethod>(method: M, request?: IpcRequest<M>): Promise<{ code: string; message: string }>
  /**
   * Resolves with the first event of this type that matches, among those received
   * from index `since` of `events` on (default: all received so far, then new ones).
   */
  waitFor<K extends MessengerEventName>(
    type: K,
    match?: (payload: MessengerEvents[K]) => boolean,
    timeoutMs?: number,
    since?: number
  ): Promise<MessengerEvents[K]>
  /** The position in `events` now: pass it to `waitFor` to wait only for later events. */
  mark(): number
  /** Every payload of one type received so far. */
  payloads<K extends MessengerEventName>(type: K): MessengerEvents[K][]
  events: MessengerEvent[]
  batches: number
  /** Closes the core (flushing its cache); the data directory stays for a restart. */
  close(): Promise<void>
  destroy(): Promise<void>
}

export interface StartClientOptions {
  /** The fetch the core uses for REST (to count or break requests). */
  fetch?: typeof fetch
  /** LAN discovery on a private mDNS port; off unless a test asks (never the real port 5353). */
  discovery?: MdnsOptions
  /** Host the bundled server from this client (the core's hosting controller). */
  hosting?: HostingOptions
  /** Where downloads go (default: a folder in the user-data directory, never the real ~/Downloads). */
  downloadsDir?: string
  /** What the host lends for files (Electron's dialogs, page paths); none by default, as in the browser host. */
  files?: FileHost
  /** The core's logger; silent by default. */
  logger?: Logger
}

export async function startClient(userDataDir?: string, options: StartClientOptions = {}): Promise<TestClient> {
  const dir = userDataDir ?? (await mkdtemp(join(tmpdir(), 'messenger-client-')))
  const core = await ClientCore.create({
    userDataDir: dir,
    secrets: fileSecretStorage(secretsPath(dir)),
    host: 'web',
    version: 'test',
    logger: options.logger ?? silentLogger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    discovery: options.discovery ?? false,
    ...(options.hosting ? { hosting: options.hosting } : {}),
    downloadsDir: options.downloadsDir ?? join(dir, 'Downloads'),
    ...(options.files ? { files: options.files } : {})
  })
  const events: MessengerEvent[] = []
  const waiters = new Set<() => void>()
  let closed = false
  const client: TestClient = {
    core,
    userDataDir: dir,
    events,
    batches: 0,
    async call(method, request) {
      const result = await core.dispatch(method, request ?? {})
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`)
      return result.data as never
    },
    async callError(method, request) {
      const result = await core.dispatch(method, request ?? {})
      if (result.ok) throw new Error(`${method} succeeded but was expected to fail: ${JSON.stringify(result.data)}`)
      return result.error
    },
    waitFor(type, match = () => true, timeoutMs = 10_000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.slice(since).find((e) => e.type === type && match(e.payload as never))
          if (!found) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found.payload as never)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for a "${type}" event; last ones: ${JSON.stringify(events.filter((e) => e.type === type).slice(-3))}`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    mark: () => events.length,
    payloads: (type) => events.filter((e) => e.type === type).map((e) => e.payload as never),
    close: async () => {
      if (closed) return
      closed = true
      await core.close()
    },
    destroy: async () => {
      await client.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  core.subscribe((batch) => {
    client.batches++
    events.push(...batch)
    for (const waiter of [...waiters]) waiter()
  })
  await core.start()
  return client
}

export function secretsPath(userDataDir: string): string {
  return join(userDataDir, 'secrets.json')
}

/** The secrets file as the Node host keeps it ({} when it is gone). */
export async function readSecrets(userDataDir: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(secretsPath(userDataDir), 'utf8')) as Record<string, string>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
}

/** Connected and caught up: the state a user sees once the spinner stops. */
export function waitSynced(client: TestClient, since = 0, timeoutMs = 15_000): Promise<MessengerEvents['connection']> {
  return client.waitFor('connection', (c) => c.status === 'online' && !c.syncing, timeoutMs, since)
}

export interface SignedUp {
  me: Me
  account: AccountSummary
}

/** Registers a new user through the core and waits until it is connected and synced. */
export async function signUp(client: TestClient, serverUrl: string, username = uniqueName('c')): Promise<SignedUp> {
  const since = client.mark()
  const state = await client.call('session.register', { serverUrl, username, password: PASSWORD })
  if (state.status !== 'signed_in') throw new Error(`register ${username} did not sign in`)
  await waitSynced(client, since)
  return { me: state.me, account: state.account }
}

export interface DirectChat {
  a: TestClient
  b: TestClient
  aMe: Me
  bMe: Me
  conversationId: string
}

/** Two fresh clients signed up on the server, with a direct chat that both have in their cache. */
export async function directChat(serverUrl: string, urlOfB = serverUrl): Promise<DirectChat> {
  const [a, b] = await Promise.all([startClient(), startClient()])
  const [{ me: aMe }, { me: bMe }] = await Promise.all([signUp(a, serverUrl), signUp(b, urlOfB)])
  const opened = await a.call('conversations.openDirect', { userId: bMe.id })
  if (!('conversation' in opened)) throw new Error('openDirect answered with an invitation')
  const conversationId = opened.conversation.id
  await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))
  return { a, b, aMe, bMe, conversationId }
}

/** Every acknowledged message of a conversation as the client holds it, paging up as the renderer does; ascending. */
export async function pageAll(client: TestClient, conversationId: string): Promise<Message[]> {
  const pages: Message[][] = []
  let before: number | undefined
  for (;;) {
    const page = await client.call('messages.page', { conversationId, limit: LIMITS.pageSizeMax, ...(before ? { before } : {}) })
    pages.push(page.messages)
    if (!page.hasMore || page.messages.length === 0) break
    before = page.messages[0]!.seq
  }
  return pages.reverse().flat()
}

// ---------------------------------------------------------------- fetch that counts refreshes

export interface RefreshProbe {
  fetch: typeof fetch
  /** Successful /auth/refresh answers so far. */
  refreshes: number
  /** Refresh attempts refused while blocked. */
  blockedAttempts: number
  /** The newest access token the server handed out, and its expiry (ms). */
  lastAccessToken: string | null
  lastAccessExpiry: number
  /** From now on refreshes fail as if the network were down (before reaching the server). */
  block(): void
  unblock(): void
  /** Resolves at the next refresh attempt refused while blocked. */
  nextBlocked(): Promise<void>
  /** Resolves at the next successful refresh. */
  nextRefresh(): Promise<void>
  /** The next request whose path ends with `pathEnd` gets a 401 with this code instead of reaching the server. */
  fail401Once(pathEnd: string, code: string): void
  /** Paths of every request made through this fetch. */
  requests: string[]
}

function jwtExpiry(token: string): number {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number }
  return claims.exp * 1000
}

export function refreshProbe(): RefreshProbe {
  let blocked = false
  const onBlocked = new Set<() => void>()
  const onRefresh = new Set<() => void>()
  const injected = new Map<string, string>()
  const fire = (set: Set<() => void>): void => {
    for (const f of [...set]) f()
    set.clear()
  }
  const probe: RefreshProbe = {
    refreshes: 0,
    blockedAttempts: 0,
    lastAccessToken: null,
    lastAccessExpiry: 0,
    requests: [],
    block: () => {
      blocked = true
    },
    unblock: () => {
      blocked = false
    },
    nextBlocked: () => new Promise((resolve) => onBlocked.add(resolve)),
    nextRefresh: () => new Promise((resolve) => onRefresh.add(resolve)),
    fail401Once: (pathEnd, code) => {
      injected.set(pathEnd, code)
    },
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      probe.requests.push(`${init?.method ?? 'GET'} ${url.pathname}`)
      for (const [pathEnd, code] of injected) {
        if (url.pathname.endsWith(pathEnd)) {
          injected.delete(pathEnd)
          return new Response(JSON.stringify({ error: { code, message: 'injected by the test' } }), {
            status: 401,
            headers: { 'content-type': 'application/json' }
          })
        }
      }
      const isRefresh = url.pathname.endsWith('/auth/refresh')
      if (isRefresh && blocked) {
        probe.blockedAttempts++
        fire(onBlocked)
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
      }
      const response = await fetch(input, init)
      if (response.ok && /\/auth\/(refresh|login|register)$/.test(url.pathname)) {
        const body = (await response.clone().json()) as { accessToken?: string }
        if (body.accessToken) {
          probe.lastAccessToken = body.accessToken
          probe.lastAccessExpiry = jwtExpiry(body.accessToken)
        }
        if (isRefresh) {
          probe.refreshes++
          fire(onRefresh)
        }
      }
      return response
    }
  }
  return probe
}

// ---------------------------------------------------------------- a TCP proxy to cut connections

export interface TcpProxy {
  url: string
  /** Drops every open connection (the client sees the network go away, then reconnects). */
  cut(): void
  /** Refuses new connections and drops open ones, until `restore`. */
  block(): void
  restore(): void
  /** From now on, what the server sends on open connections is lost (until they are cut). */
  dropReplies(): void
  /** Passes at most `bytes` more from clients to the server, then nothing (the client sees a stalled network), until the next cut. */
  stallAfter(bytes: number): void
  close(): Promise<void>
}

/** A loopback proxy in front of a server: clients use its url, the test pulls the cable. */
export async function startProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl)
  const open = new Set<{ client: Socket; upstream: Socket; dropping: boolean }>()
  let blocked = false
  /** Bytes still passed to the server before clients are no longer read (null: no limit). */
  let budget: number | null = null
  const server: Server = createServer((client) => {
    if (blocked) {
      client.destroy()
      return
    }
    const upstream = tcpConnect(Number(target.port), target.hostname)
    const pair = { client, upstream, dropping: false }
    open.add(pair)
    const end = (): void => {
      open.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.on('data', (chunk: Buffer) => {
      if (budget === null) return void upstream.write(chunk)
      upstream.write(chunk.subarray(0, budget))
      budget -= Math.min(budget, chunk.length)
      if (budget === 0) client.pause()
    })
    upstream.on('data', (chunk) => {
      if (!pair.dropping) client.write(chunk)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const cut = (): void => {
    budget = null
    for (const pair of [...open]) {
      open.delete(pair)
      pair.client.destroy()
      pair.upstream.destroy()
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    block: () => {
      blocked = true
      cut()
    },
    restore: () => {
      blocked = false
    },
    dropReplies: () => {
      for (const pair of open) pair.dropping = true
    },
    stallAfter: (bytes) => {
      budget = bytes
    },
    close: async () => {
      blocked = true
      cut()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A loopback port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
