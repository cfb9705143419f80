// The presence directory between nodes, on a private Redis, without servers:
// several directories with their own node ids stand for the nodes. What one
// publishes the others see; changes made at once on two nodes never leave a
// user online; a node that stops beating is reaped by exactly one survivor;
// after a Redis restart every node publishes its state again.
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisDirectory, type DirectoryPeer, type PresenceDirectory } from '../../server/cluster/presence-directory'
import { connectRedis, type RedisLink } from '../../server/cluster/redis'
import type { ActiveStatus } from '../../src/shared/schemas/presence'
import { killPrivateRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis'

let redis: PrivateRedis
const links: RedisLink[] = []
const directories: PresenceDirectory[] = []

/** A node: its directory, what it holds (its snapshot), and what the directory told it. */
interface Node {
  directory: PresenceDirectory
  link: RedisLink
  holds: Map<string, ActiveStatus>
  gone: { userIds: string[]; lastSeenAt: Date }[]
  resynced: string[]
  logs: { level: number; msg: string }[]
}

async function node(prefix: string, timing: { heartbeatMs: number; expiryMs: number } = { heartbeatMs: 200, expiryMs: 600 }): Promise<Node> {
  const logs: { level: number; msg: string }[] = []
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString()) as { level: number; msg: string })
        done()
      }
    })
  )
  const link = await connectRedis(redis.url, log)
  links.push(link)
  const directory = createRedisDirectory(link, log, { ...timing, prefix })
  directories.push(directory)
  const n: Node = { directory, link, holds: new Map(), gone: [], resynced: [], logs }
  const peer: DirectoryPeer = {
    snapshot: () => new Map(n.holds),
    gone: (userIds, lastSeenAt) => n.gone.push({ userIds, lastSeenAt }),
    resync: (userIds) => n.resynced.push(...userIds)
  }
  directory.start(peer)
  return n
}

/** Publishes as the tracker would: what the node now holds of the user. */
function hold(n: Node, userId: string, status: ActiveStatus | null): Promise<string> {
  if (status) n.holds.set(userId, status)
  else n.holds.delete(userId)
  return n.directory.publish(userId, status ?? 'offline')
}

beforeAll(async () => {
  redis = await startPrivateRedis()
})
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => d.close()))
  await Promise.all(links.splice(0).map((l) => l.close()))
})
afterAll(async () => {
  await redis.destroy()
  killPrivateRedis()
})

describe('presence directory', () => {
  it('a node sees the users of the others, not its own, with the best status any has', async () => {
    const prefix = `t:${randomUUID()}:`
    const [a, b, c] = [await node(prefix), await node(prefix), await node(prefix)]
    const u = randomUUID()
    expect(await hold(a, u, 'away')).toBe('offline')
    expect(await b.directory.elsewhere([u])).toEqual(['away'])
    expect(await a.directory.elsewhere([u])).toEqual(['offline'])
    expect(await hold(b, u, 'online')).toBe('away')
    expect(await c.directory.elsewhere([u, randomUUID()])).toEqual(['online', 'offline'])
    expect(await a.directory.elsewhere([u])).toEqual(['online'])
    expect(await hold(b, u, null)).toBe('away')
    expect(await hold(a, u, null)).toBe('offline')
    expect(await c.directory.elsewhere([u])).toEqual(['offline'])
  })

  it('two nodes losing a user at the same moment: one of them sees them offline everywhere', async () => {
    const prefix = `t:${randomUUID()}:`
    const [a, b] = [await node(prefix), await node(prefix)]
    for (let round = 0; round < 20; round++) {
      const u = randomUUID()
      await hold(a, u, 'online')
      await hold(b, u, 'online')
      const seen = await Promise.all([hold(a, u, null), hold(b, u, null)])
      expect(seen.sort()).toEqual(['offline', 'online'])
    }
  })

  it('a node that stops beating is reaped by one survivor: its users nobody else has are gone, last seen at its last beat', async () => {
    const prefix = `t:${randomUUID()}:`
    const [a, b, dying] = [await node(prefix), await node(prefix), await node(prefix)]
    const [only, shared] = [randomUUID(), randomUUID()]
    await hold(dying, only, 'online')
    await hold(dying, shared, 'online')
    await hold(b, shared, 'away')
    const before = Date.now()
    // As a kill -9 looks from Redis: its connections drop, it neither beats nor leaves.
    dying.link.command.disconnect()
    await expect.poll(() => a.gone.length + b.gone.length, { timeout: 10_000 }).toBeGreaterThan(0)
    const reaped = [...a.gone, ...b.gone]
    expect(reaped).toHaveLength(1)
    expect(reaped[0]!.userIds).toEqual([only])
    expect(reaped[0]!.lastSeenAt.getTime()).toBeLessThanOrEqual(Date.now())
    expect(reaped[0]!.lastSeenAt.getTime()).toBeGreaterThan(before - 5000)
    expect(await a.directory.elsewhere([only, shared])).toEqual(['offline', 'away'])
    // Exactly one: the others find nothing more to take on later beats.
    await hold(a, randomUUID(), 'online')
    expect([...a.gone, ...b.gone]).toHaveLength(1)
  })

  it('while Redis is down a node knows only its own (warned once); when it is back every node publishes again and resyncs what changed', async () => {
    const prefix = `t:${randomUUID()}:`
    const [a, b] = [await node(prefix), await node(prefix)]
    const [kept, changedMeanwhile] = [randomUUID(), randomUUID()]
    await hold(a, kept, 'online')
    expect(await b.directory.elsewhere([kept])).toEqual(['online'])

    await redis.kill()
    expect(await hold(a, changedMeanwhile, 'away')).toBe('offline')
    expect(await b.directory.elsewhere([kept])).toEqual(['offline'])
    expect(await b.directory.elsewhere([kept])).toEqual(['offline'])
    const warnings = (n: Node): number => n.logs.filter((l) => l.msg.startsWith('presence falls back')).length
    expect(warnings(a)).toBe(1)
    expect(warnings(b)).toBe(1)

    // An empty Redis, as after a restart: the hashes are gone until the nodes publish them again.
    await redis.start()
    await expect.poll(() => b.directory.elsewhere([kept, changedMeanwhile]), { timeout: 15_000 }).toEqual(['online', 'away'])
    await expect.poll(() => a.resynced, { timeout: 15_000 }).toContain(changedMeanwhile)
    expect(a.logs.some((l) => l.msg === 'presence is shared between nodes again')).toBe(true)
  })
})
