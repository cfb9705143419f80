// The client core told sync:stale (here by a node whose Redis came back):
// it catches up as after a reconnect, on the open connection, and asks for
// no conversation's messages or changes when the server's list says it holds
// them all; what it did miss (a message, an edit) it fetches. And, with Redis
// up all along, a live message that follows a gap starts a catch-up too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { directChat, pageAll, type DirectChat, type TestClient } from '../helpers/client'
import { freshDatabase } from '../helpers/engines'
import { killPrivateRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis'
import { startServer, type TestServer } from '../helpers/server'

let redis: PrivateRedis
let srv: TestServer
let chat: DirectChat

beforeAll(async () => {
  const db = await freshDatabase('client stale')
  redis = await startPrivateRedis()
  srv = await startServer({ databaseUrl: db.url, redisUrl: redis.url })
  chat = await directChat(srv.url)
})
afterAll(async () => {
  await Promise.all([chat?.a.destroy(), chat?.b.destroy()])
  await srv?.destroy()
  await redis?.destroy()
  killPrivateRedis()
})

/** Every socket call the client's core makes from now on, by event name. */
function spyCalls(client: TestClient): string[] {
  const calls: string[] = []
  const realtime = client.core.ctx().realtime
  const call = realtime.call.bind(realtime)
  realtime.call = (event, payload) => {
    calls.push(event)
    return call(event, payload)
  }
  return calls
}

interface Deafened {
  /** Resolves once `count` events of that name have arrived (and were kept from the core). */
  arrived(event: string, count: number): Promise<void>
  /** The core hears these events again (from the next one on). */
  restore(): void
}

/** Events of these names no longer reach the client's core, as if Redis had lost them between nodes. */
function deafen(client: TestClient, events: string[]): Deafened {
  type Listener = (...args: unknown[]) => void
  const socket = client.core.ctx().realtime.socket as unknown as {
    listeners(e: string): Listener[]
    off(e: string, fn?: Listener): void
    on(e: string, fn: Listener): void
  }
  const kept = events.map((e) => [e, socket.listeners(e)] as const)
  const counts = new Map<string, number>()
  const waiters = new Set<() => void>()
  const count: Listener[] = events.map((e) => () => {
    counts.set(e, (counts.get(e) ?? 0) + 1)
    for (const w of [...waiters]) w()
  })
  for (const [i, e] of events.entries()) {
    socket.off(e)
    socket.on(e, count[i]!)
  }
  return {
    arrived: (event, n) =>
      new Promise((resolve) => {
        const check = (): void => {
          if ((counts.get(event) ?? 0) < n) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
      }),
    restore: () => {
      for (const [i, [e, listeners]] of kept.entries()) {
        socket.off(e, count[i])
        for (const fn of listeners) socket.on(e, fn)
      }
    }
  }
}

/**
 * Redis goes and comes back: the node tells its clients to catch up. Resolves
 * once `client` has (its presence refresh, in `calls`, comes after the catch-up).
 */
async function staleNotice(calls: string[]): Promise<void> {
  const from = calls.length
  await redis.kill()
  await redis.start()
  const deadline = Date.now() + 20_000
  while (!calls.slice(from).includes('presence:list')) {
    if (Date.now() > deadline) throw new Error(`no catch-up within 20 s; calls: ${calls.slice(from).join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function send(client: TestClient, conversationId: string, text: string): Promise<Message> {
  const since = client.mark()
  const pending = await client.call('messages.send', { conversationId, text })
  const event = await client.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === pending.clientId), 10_000, since)
  return event.upserted.find((x) => x.clientId === pending.clientId)!
}

describe('sync:stale in the client core', () => {
  it('with nothing missed, catches up with the conversation list alone', async () => {
    const { a, b, conversationId } = chat
    const sent = await send(a, conversationId, 'held already')
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.id === sent.id))
    const calls = spyCalls(b)
    await staleNotice(calls)
    expect(calls).toContain('conversation:list')
    expect(calls.filter((c) => c === 'message:list' || c === 'message:changes')).toEqual([])
  })

  it('fetches what it missed, a message and an edit, with nothing sent after them', async () => {
    const { a, b, conversationId } = chat
    const first = await send(a, conversationId, 'to be edited')
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.id === first.id))
    const deaf = deafen(b, ['message:new', 'message:updated'])
    const missed = await send(a, conversationId, 'missed live')
    await a.call('messages.edit', { conversationId, seq: first.seq, text: 'edited, missed live' })
    await Promise.all([deaf.arrived('message:new', 1), deaf.arrived('message:updated', 1)])
    deaf.restore()
    const calls = spyCalls(b)
    await staleNotice(calls)
    expect(calls).toEqual(expect.arrayContaining(['conversation:list', 'message:list', 'message:changes']))
    const cached = await pageAll(b, conversationId)
    expect(cached.find((m) => m.id === missed.id)?.text).toBe('missed live')
    expect(cached.find((m) => m.id === first.id)?.text).toBe('edited, missed live')
  })

  it('a live message after one it missed starts a catch-up that brings the missed one', async () => {
    const { a, b, conversationId } = chat
    const deaf = deafen(b, ['message:new'])
    const missed = await send(a, conversationId, 'lost on the way')
    await deaf.arrived('message:new', 1)
    deaf.restore()
    const since = b.mark()
    const next = await send(a, conversationId, 'after the gap')
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.id === missed.id), 10_000, since)
    const cached = await pageAll(b, conversationId)
    expect(cached.slice(-2).map((m) => m.id)).toEqual([missed.id, next.id])
  })
})
