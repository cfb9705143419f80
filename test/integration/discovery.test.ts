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

describe('LAN discovery of an advertise address (a load balancer in front of several nodes)', () => {
  it('two nodes advertising the same address and name are listed once, at that address, not at either node', async () => {
    const mdnsPort = await freeUdpPort()
    const client: TestClient = await startClient(undefined, { discovery: { port: mdnsPort } })
    cleanup.push(() => client.destroy())
    expect(await client.call('discovery.start')).toEqual([])

    const name = `Balanced ${mdnsPort}`
    // 192.0.2.0/24 is for documentation: nothing there answers, and nothing is sent to it.
    const options = { name, advertise: { port: mdnsPort }, advertiseAddress: '192.0.2.10:7450' }
    const nodes = [await startServer(options), await startServer(options)]
    for (const node of nodes) cleanup.push(() => node.destroy())

    const found = await client.waitFor('servers', (list) => list.some((s) => s.name === name), 20_000)
    // Listed once; the URL is the advertised address (the client also notes where the answer came from, after it).
    expect(found.filter((s) => s.name === name)).toEqual([expect.objectContaining({ url: 'http://192.0.2.10:7450', port: 7450, tls: false })])
    expect(found.find((s) => s.name === name)!.addresses[0]).toBe('192.0.2.10')
  })

  it('a host name is advertised as the addresses it resolves to, with the node port when none is given', async () => {
    const mdnsPort = await freeUdpPort()
    const client: TestClient = await startClient(undefined, { discovery: { port: mdnsPort } })
    cleanup.push(() => client.destroy())
    await client.call('discovery.start')

    const name = `Named ${mdnsPort}`
    const server = await startServer({ tls: true, name, advertise: { port: mdnsPort }, advertiseAddress: 'localhost' })
    cleanup.push(() => server.destroy())
    const port = Number(new URL(server.url).port)

    const found = await client.waitFor('servers', (list) => list.some((s) => s.name === name), 20_000)
    expect(found.find((s) => s.name === name)).toMatchObject({ url: `https://127.0.0.1:${port}`, port, fingerprint: server.fingerprint })
  })

  it('an advertise address that is neither an IP address nor a host name stops the start with the reason', async () => {
    await expect(startServer({ advertise: { port: await freeUdpPort() }, advertiseAddress: 'http://lb/' })).rejects.toThrow(/advertise address/)
  })
})
