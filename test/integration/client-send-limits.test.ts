// The client core against a server whose send limits are low: a queue of
// messages past the budget all arrive, once each, in order, without the user
// doing anything (the outbox waits for the server's retryAfterMs); files past
// the uploads budget are uploaded all the same; a reaction past its budget is
// an error with the rate_limited code the window puts into words.
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PendingMessage } from '../../src/shared/ipc'
import { words } from '../../src/renderer/src/lib/api'
import type { SendLimit } from '../../server/services/send-limits'
import { bytesOf } from '../helpers/files'
import { directChat, pageAll, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

/** 2 a second at the rate, 3 more from a burst that does not refill during a test. */
const LOW: SendLimit = { rate: { points: 2, durationMs: 1_000 }, burst: { points: 3, durationMs: 600_000 } }
const BUDGET = 5

let srv: TestServer
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer({ sendLimits: { messages: LOW, reactions: LOW, uploads: LOW } })
})
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()))
})
afterAll(() => srv.destroy())

/** The error codes of the server's answers to `message:send`, as the core receives them. */
function refusalsOf(client: TestClient): string[] {
  const realtime = client.core.ctx().realtime
  const call = realtime.call.bind(realtime)
  const codes: string[] = []
  realtime.call = (async (event: string, payload: unknown) => {
    try {
      return await (call as (e: string, p: unknown) => Promise<unknown>)(event, payload)
    } catch (err) {
      if (event === 'message:send') codes.push((err as { code: string }).code)
      throw err
    }
  }) as typeof realtime.call
  return codes
}

describe('the client core under the send limits', () => {
  it('a queue of messages past the budget all arrive, once each, in order, with nobody retrying by hand', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const refusals = refusalsOf(a)
    const texts = Array.from({ length: 3 * BUDGET }, (_, i) => `line ${i + 1}`)
    for (const text of texts) await a.call('messages.send', { conversationId, text })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === texts.at(-1)), 30_000)

    expect((await pageAll(b, conversationId)).map((m) => m.text)).toEqual(texts)
    expect((await pageAll(a, conversationId)).map((m) => m.text)).toEqual(texts)
    // The server did refuse some, and the outbox held them as pending, never failed.
    expect(refusals.length).toBeGreaterThan(0)
    expect(new Set(refusals)).toEqual(new Set(['rate_limited']))
    const states = a.payloads('outbox').flatMap((o) => o.upserted.map((p: PendingMessage) => p.state))
    expect(states).not.toContain('failed')
    await expect.poll(() => a.core.ctx().outbox.all()).toEqual([])
  })

  it('files past the uploads budget are all uploaded and their message sent once', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const staging = a.core.ctx().transfers.staging
    const files = []
    for (let i = 0; i < BUDGET + 3; i++) files.push(await staging.stageStream(Readable.from([bytesOf(100, i + 1)]), `f${i}.txt`, 'text/plain'))
    await a.call('files.send', { conversationId, text: 'a folder', files: files.map((f) => ({ stagedId: f.stagedId })) })
    const got = await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'a folder'), 30_000)
    const message = got.upserted.find((x) => x.text === 'a folder')!
    expect(message.attachments!.map((f) => f.name)).toEqual(files.map((_, i) => `f${i}.txt`))
    expect((await pageAll(b, conversationId)).filter((m) => m.text === 'a folder')).toHaveLength(1)
    // Some waited for the budget (queued with the server's answer), none failed.
    const seen = a.payloads('transfers').flatMap((t) => t.upserted)
    expect(seen.some((t) => t.state === 'queued' && t.error?.code === 'rate_limited')).toBe(true)
    expect(seen.map((t) => t.state)).not.toContain('failed')
    const transfers = await a.call('transfers.list')
    expect(transfers.filter((t) => t.direction === 'upload').map((t) => t.state)).toEqual(Array(files.length).fill('done'))
  })

  it('a reaction past its budget is rate_limited with when to retry, in the words the window shows', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    await a.call('messages.send', { conversationId, text: 'react to me' })
    const [message] = (await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'react to me'))).upserted
    let refused: { code: string; message: string; retryAfterMs?: number } | null = null
    for (let i = 0; i <= 2 * BUDGET && !refused; i++) {
      const result = await b.core.dispatch('messages.react', { conversationId, seq: message!.seq, emoji: '👍' })
      if (!result.ok) refused = result.error
    }
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    expect(words(refused as never)).toBe('Too many tries. Wait a moment and try again.')
    // The core goes on: the next call after the wait is answered.
    await new Promise((resolve) => setTimeout(resolve, refused!.retryAfterMs))
    expect((await b.core.dispatch('messages.react', { conversationId, seq: message!.seq, emoji: '🎉' })).ok).toBe(true)
  })
})
