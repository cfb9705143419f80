// One client address may hold a bounded number of connections: the extra one
// is closed at once, unanswered, while those already open keep being served,
// and once one closes a new one is admitted again. 0 turns the bound off.
import { mkdtemp, rm } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_MAX_CONNECTIONS_PER_ADDRESS } from '../../server/http/http-server'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer | null = null
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await srv?.destroy()
  srv = null
})

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket))
    socket.once('error', reject)
    sockets.push(socket)
  })
}

/** What the server does with a request on `socket`: its status line, or 'closed' if it closes the connection unanswered. */
function request(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = ''
    const onData = (chunk: Buffer): void => {
      got += chunk.toString('latin1')
      const line = /^HTTP\/1\.1 \d{3}/.exec(got)
      if (line) {
        socket.off('data', onData)
        resolve(line[0])
      }
    }
    socket.on('data', onData)
    socket.once('close', () => resolve(got ? got.split('\r\n')[0]! : 'closed'))
    // An error (a reset) is followed by 'close'.
    socket.on('error', () => undefined)
    socket.write('GET /api/v1/health HTTP/1.1\r\nHost: test\r\n\r\n')
  })
}

async function openMany(url: string, count: number): Promise<Socket[]> {
  const held: Socket[] = []
  for (let i = 0; i < count; i++) held.push(await open(url))
  return held
}

describe('connections per address', () => {
  it('refuses the connection past the bound while the open ones keep working; a closed one frees its place', async () => {
    srv = await startServer({ maxConnectionsPerAddress: 4 })
    const held = await openMany(srv.url, 4)
    expect(await request(await open(srv.url))).toBe('closed')
    for (const socket of held) expect(await request(socket)).toBe('HTTP/1.1 200')
    held[0]!.destroy()
    // The server counts the departure when it sees the close; until then the newcomer may still be refused.
    let admitted = 'closed'
    for (let tries = 0; tries < 50 && admitted === 'closed'; tries++) admitted = await request(await open(srv.url))
    expect(admitted).toBe('HTTP/1.1 200')
  })

  it(`by default an address may hold ${DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} connections`, async () => {
    expect(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS).toBe(256)
    srv = await startServer()
    const held = await openMany(srv.url, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS)
    expect(await request(held.at(-1)!)).toBe('HTTP/1.1 200')
    expect(await request(await open(srv.url))).toBe('closed')
  })

  it('the CLI takes the bound from --max-connections-per-address, and warns once when an address reaches it', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'messenger-connections-'))
    try {
      const child = await startChildServer(dir, ['--max-connections-per-address', '2'])
      const held = await openMany(child.url, 2)
      expect(await request(await open(child.url))).toBe('closed')
      expect(await request(await open(child.url))).toBe('closed')
      expect(await request(held[1]!)).toBe('HTTP/1.1 200')
      const warnings = child.logs.filter((line) => String(line['msg']).includes('most connections allowed'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ max: 2 })
    } finally {
      killChildServers()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('0 turns the bound off', async () => {
    srv = await startServer({ maxConnectionsPerAddress: 0 })
    const held = await openMany(srv.url, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + 1)
    expect(await request(held.at(-1)!)).toBe('HTTP/1.1 200')
  })
})
