// LAN discovery for real: a server advertises itself over mDNS/DNS-SD and a
// client core's browser finds it, with its name and fingerprint, and sees it
// go when it stops. Both use a private mDNS port (never the network's 5353);
// the packets go out on the machine's multicast interface and loop back.
import { createSocket } from 'node:dgram'
import { afterAll, describe, expect, it } from 'vitest'
import { startClient, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, () => {
      const { port } = socket.address()
      socket.close(() => resolve(port))
    })
  })
}

describe('LAN discovery (mDNS, _messenger._tcp)', () => {
  it('a client lists a server started in the test, live, with its name and fingerprint, and drops it when it stops', async () => {
    const mdnsPort = await freeUdpPort()
    const client: TestClient = await startClient(undefined, { discovery: { port: mdnsPort } })
    cleanup.push(() => client.destroy())
    // Browsing first, so the server's own announcement is what the client hears.
    expect(await client.call('discovery.start')).toEqual([])

    const name = `Office ${mdnsPort}`
    const server: TestServer = await startServer({ tls: true, name, advertise: { port: mdnsPort } })
    cleanup.push(() => server.destroy())
    const port = Number(new URL(server.url).port)

    const found = await client.waitFor('servers', (list) => list.some((s) => s.name === name), 20_000)
    const entry = found.find((s) => s.name === name)!
    expect(entry).toMatchObject({ port, tls: true, fingerprint: server.fingerprint, version: expect.any(String) })
    expect(entry.url).toMatch(new RegExp(`^https://[^/]+:${port}$`))
    // A second start answers with the list so far.
    expect((await client.call('discovery.start')).some((s) => s.name === name)).toBe(true)

    const since = client.mark()
    await server.stop()
    await client.waitFor('servers', (list) => !list.some((s) => s.name === name), 20_000, since)
    expect(await client.call('discovery.stop')).toBeNull()
  })
})
