// Slow clients (slowloris): connections that send their request headers a
// line every few seconds, or open TLS and never start the handshake, are
// closed once 20 s have passed without complete headers (Node checks every
// 5 s, so within 25 s), while a normal client is served all along. Takes
// about 25 s, with the server's real timeouts.
import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngine } from '../helpers/engines'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

const SLOW_CLIENTS = 5
/** One header line this often: each line alone is quick, the whole never ends. */
const LINE_EVERY_MS = 5_000
/** Long past the 20 s bound (and its 5 s check), well short of Node's defaults (60 s for headers, 120 s for a TLS handshake). */
const GIVE_UP_MS = 45_000

let plain: TestServer
let secure: TestServer
beforeAll(async () => {
  ;[plain, secure] = await Promise.all([startServer(), startServer({ tls: true })])
})
afterAll(async () => {
  await Promise.all([plain.destroy(), secure.destroy()])
})

interface Outcome {
  closed: boolean
  /** What the server said before closing, if anything (Node answers 408). */
  said: string
}

/** Resolves when the server closes `socket`, or with closed: false after GIVE_UP_MS. */
function watch(socket: Socket, stop: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    let said = ''
    socket.on('data', (chunk: Buffer) => (said += chunk.toString('latin1')))
    socket.on('error', () => undefined)
    const timer = setTimeout(() => {
      stop()
      socket.destroy()
      resolve({ closed: false, said })
    }, GIVE_UP_MS)
    socket.once('close', () => {
      clearTimeout(timer)
      stop()
      resolve({ closed: true, said })
    })
  })
}

/** Starts a request and sends one more header line every LINE_EVERY_MS, never the blank line that ends them. */
function slowHeaders(socket: Socket): Promise<Outcome> {
  socket.write('GET /api/v1/health HTTP/1.1\r\nHost: test\r\n')
  let n = 0
  const drip = setInterval(() => socket.write(`X-Slow-${n++}: 1\r\n`), LINE_EVERY_MS)
  return watch(socket, () => clearInterval(drip))
}

function plainSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: hostname, port: Number(port) }, () => resolve(socket))
    socket.once('error', reject)
  })
}

function tlsSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => resolve(socket))
    socket.once('error', reject)
  })
}

// Transport only: nothing here touches storage, so one engine is enough. The two cases wait on their own servers, side by side.
describe.skipIf(testEngine() === 'postgres')('slow clients', { concurrent: true }, () => {
  it('slow headers over HTTP and HTTPS, and a TLS handshake never started, are closed; a normal client is served meanwhile', { timeout: 120_000 }, async () => {
    const outcomes = Promise.all([
      ...Array.from({ length: SLOW_CLIENTS }, async () => slowHeaders(await plainSocket(plain.url))),
      slowHeaders(await tlsSocket(secure.url)),
      // TCP open to the HTTPS port, and not one byte of TLS.
      plainSocket(secure.url).then((socket) => watch(socket, () => undefined))
    ])
    let done = false
    void outcomes.then(() => (done = true))
    // A normal client, one request after another while the slow ones hang on.
    let served = 0
    while (!done) {
      const res = await api(plain.url, 'GET', '/health')
      expect(res.status).toBe(200)
      served++
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
    const results = await outcomes
    expect(results.map((r) => r.closed)).toEqual(Array(SLOW_CLIENTS + 2).fill(true))
    // Those that sent a request line are told why.
    for (const r of results.slice(0, SLOW_CLIENTS + 1)) expect(r.said).toMatch(/^HTTP\/1\.1 408/)
    expect(served).toBeGreaterThan(1)
  })

  it('a connection that never finishes its headers does not hold the server open: stopping cuts it after the headers bound', { timeout: 120_000 }, async () => {
    const server = await startServer()
    try {
      const socket = await plainSocket(server.url)
      const outcome = slowHeaders(socket)
      // Node stops checking header timeouts once the server is closing; without the cut, close() would wait forever.
      await server.stop()
      expect((await outcome).closed).toBe(true)
    } finally {
      await server.destroy()
    }
  })
})
