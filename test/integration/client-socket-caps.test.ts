// The client core meeting a full socket cap: it says so (the connection's
// error carries `too_many_connections`), waits instead of knocking again and
// again, and comes in when asked once a place is free.
import { createServer, connect as tcpConnect, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, startClient, waitSynced, type TestClient } from '../helpers/client'
import { register } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect } from '../helpers/socket'

/** Long enough for the old backoff (0.5 s doubling, from about 1 s) to have tried twice more. */
const WATCH_MS = 4000

let srv: TestServer
let client: TestClient
let proxy: { url: string; handshakes: () => number; close: () => Promise<void> }

beforeAll(async () => {
  srv = await startServer({ socketsPerUser: 1 })
  proxy = await countingProxy(srv.url)
  client = await startClient()
})
afterAll(async () => {
  await client.destroy()
  await proxy.close()
  await srv.destroy()
})

/** A loopback proxy that counts the Socket.IO connections made through it (each handshake attempt opens one). */
async function countingProxy(targetUrl: string): Promise<typeof proxy> {
  const target = new URL(targetUrl)
  let handshakes = 0
  const server: Server = createServer((downstream) => {
    const upstream = tcpConnect(Number(target.port), target.hostname)
    downstream.once('data', (first: Buffer) => {
      if (first.toString('latin1').startsWith('GET /socket.io/')) handshakes++
    })
    downstream.pipe(upstream).pipe(downstream)
    const end = (): void => {
      downstream.destroy()
      upstream.destroy()
    }
    downstream.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    handshakes: () => handshakes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe('the client core and a full socket cap', () => {
  it('reports too_many_connections, does not hammer the server, and connects once a place is free and it is asked to', async () => {
    const user = await register(srv.url)
    // Another device of the same user holds the only place.
    const other = await connect(srv.url, user.accessToken)

    const since = client.mark()
    await client.call('session.login', { serverUrl: proxy.url, username: user.user.username, password: PASSWORD })
    const refused = await client.waitFor('connection', (c) => c.error?.code === 'too_many_connections', 10_000, since)
    expect(refused.status).toBe('offline')
    expect(refused.error?.message).toMatch(/already has 1 connection open/)

    const attempts = proxy.handshakes()
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS))
    expect(proxy.handshakes()).toBe(attempts)

    other.close()
    const retried = client.mark()
    // "Retry now" in the window; it may find the place still taken for a moment, so ask until it gets in.
    const synced = waitSynced(client, retried)
    const asking = setInterval(() => void client.call('connection.retry', {}), 500)
    try {
      await synced
    } finally {
      clearInterval(asking)
    }
  })
})
