// The core's draft merge: the newest by the time typed wins, whichever side
// it comes from; the window hears only changes it does not have.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessengerEvents } from '../../../src/shared/ipc'
import type { Draft } from '../../../src/shared/schemas/drafts'
import { AccountCache } from '../../../src/main/core/cache/account-cache'
import { DraftSync } from '../../../src/main/core/drafts'
import { EventBatcher } from '../../../src/main/core/event-batcher'
import { silentLogger } from '../../../src/main/core/logger'

const CONVERSATION = '00000000-0000-4000-8000-000000000001'
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function setup(now: number, serverDrafts: Draft[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'drafts-'))
  dirs.push(dir)
  const cache = await AccountCache.open(dir)
  const heard: MessengerEvents['drafts'][] = []
  const events = new EventBatcher()
  events.emit = ((type: string, payload: MessengerEvents['drafts']) => {
    if (type === 'drafts') heard.push(payload)
  }) as EventBatcher['emit']
  const sent: unknown[] = []
  const session = {
    request: (method: string, path: string, options?: { body?: unknown }) => {
      if (method === 'GET') return Promise.resolve({ drafts: serverDrafts })
      sent.push(options?.body)
      return Promise.resolve({ draft: { conversationId: path.split('/').at(-1), ...(options?.body as object) } })
    }
  } as never
  const sync = new DraftSync({ cache, session, events, log: silentLogger, online: () => true, now: () => now })
  return { sync, heard, sent, cache }
}

const at = (ms: number): string => new Date(ms).toISOString()
const draft = (text: string, ms: number): Draft => ({ conversationId: CONVERSATION, threadRoot: null, text, replyTo: null, updatedAt: at(ms) })

describe('DraftSync', () => {
  it("keeps this device's newer draft over an older one from the server, and takes a newer one", async () => {
    const { sync, heard } = await setup(2_000)
    sync.set({ conversationId: CONVERSATION, threadRoot: null, text: 'mine', replyTo: null })
    sync.onServer(draft('older, from the phone', 1_000))
    expect(sync.list().map((d) => d.text)).toEqual(['mine'])
    expect(heard).toEqual([])
    sync.onServer(draft('newer, from the phone', 3_000))
    expect(sync.list()).toEqual([draft('newer, from the phone', 3_000)])
    expect(heard).toEqual([{ drafts: [draft('newer, from the phone', 3_000)] }])
    sync.close()
  })

  it('never stamps a draft older than the one it replaces (a clock set back)', async () => {
    const { sync } = await setup(1_000)
    sync.onServer(draft('typed on a clock ahead', 5_000))
    const set = sync.set({ conversationId: CONVERSATION, threadRoot: null, text: 'typed here after', replyTo: null })
    expect(Date.parse(set.updatedAt)).toBe(5_001)
    sync.close()
  })

  it('after a reconnect: drafts the server no longer has are dropped (sent elsewhere), unsent ones are sent', async () => {
    const { sync, heard, sent } = await setup(2_000, [])
    sync.onServer(draft('sent from the phone while away', 1_000))
    sync.set({ conversationId: '00000000-0000-4000-8000-000000000002', threadRoot: 7, text: 'not sent yet', replyTo: 3 })
    heard.length = 0
    await sync.resync()
    expect(sync.list().map((d) => d.text)).toEqual(['not sent yet'])
    expect(heard).toEqual([{ drafts: [{ ...draft('', 1_000) }] }])
    await expect.poll(() => sent).toEqual([{ threadRoot: 7, text: 'not sent yet', replyTo: 3, updatedAt: at(2_000) }])
    sync.close()
  })
})
