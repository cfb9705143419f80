// Child process of the client benchmark (client-bench.ts): opens a client
// core on a prepared user-data directory, once, in a fresh process, and
// reports how long each step of the start took. The core's modules are
// imported only when asked, so their import (through tsx) is timed apart
// from the start itself.
import type { Profiler } from 'node:inspector'
import { Session as InspectorSession } from 'node:inspector/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { serve } from './rpc'

export interface OpenRequest {
  userDataDir: string
  /** Wait for online + not syncing after the first page (the account points at a live server). */
  waitOnline: boolean
  conversations: number
  /** Take a V8 CPU profile (200 µs sampling) of create + start + list + first page. */
  profile?: boolean
}

export interface OpenSample {
  /** performance.now() when this module began to run: Node's start plus tsx's loader. */
  bootMs: number
  /** Importing ClientCore and its helpers (through tsx). */
  importMs: number
  createMs: number
  startMs: number
  /** From before ClientCore.create to the first `conversations.list` result. */
  listMs: number
  listed: number
  /** `messages.page` of the first conversation listed (the newest), after the list. */
  pageMs: number
  pageMessages: number
  newestSeq: number
  /** From before ClientCore.create to online with the catch-up done (live server only). */
  syncedMs: number | null
  status: string
  rssMiB: number
  heapMiB: number
  /** `core.close()` (flushes the cache). */
  closeMs: number
  profile?: Profiler.Profile
}

const bootMs = performance.now()

serve({
  open: async (req: OpenRequest): Promise<OpenSample> => {
    const i0 = performance.now()
    const [{ ClientCore }, { silentLogger }, { fileSecretStorage }] = await Promise.all([
      import('../../src/main/core/client'),
      import('../../src/main/core/logger'),
      import('../../src/main/core/secret-store')
    ])
    const importMs = performance.now() - i0

    const inspector = req.profile ? new InspectorSession() : null
    if (inspector) {
      inspector.connect()
      await inspector.post('Profiler.enable')
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 })
      await inspector.post('Profiler.start')
    }
    const t0 = performance.now()
    const core = await ClientCore.create({
      userDataDir: req.userDataDir,
      secrets: fileSecretStorage(join(req.userDataDir, 'secrets.json')),
      host: 'web',
      version: 'bench',
      logger: silentLogger
    })
    // The renderer's side of IPC: take the batches (as the host would forward them).
    core.subscribe(() => undefined)
    const t1 = performance.now()
    const state = await core.start()
    const t2 = performance.now()
    const list = await core.dispatch('conversations.list', {})
    const t3 = performance.now()
    if (state.status !== 'signed_in') throw new Error(`the core did not resume the session: ${JSON.stringify(state)}`)
    if (!list.ok) throw new Error(`conversations.list failed: ${JSON.stringify(list.error)}`)
    const conversations = list.data as Array<{ id: string }>
    if (conversations.length !== req.conversations) throw new Error(`listed ${conversations.length} conversations, expected ${req.conversations}`)
    const newest = conversations[0]!
    const page = await core.dispatch('messages.page', { conversationId: newest.id })
    const t4 = performance.now()
    const profile = inspector ? (await inspector.post('Profiler.stop')).profile : undefined
    inspector?.disconnect()
    if (!page.ok) throw new Error(`messages.page failed: ${JSON.stringify(page.error)}`)
    const messages = (page.data as { messages: Array<{ seq: number }> }).messages

    let syncedMs: number | null = null
    if (req.waitOnline) {
      const deadline = t0 + 60_000
      for (;;) {
        const c = core.connectionState()
        if (c.status === 'online' && !c.syncing) break
        if (performance.now() > deadline) throw new Error(`not online and synced within 60 s: ${JSON.stringify(c)}`)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      syncedMs = performance.now() - t0
    }
    const status = core.connectionState().status
    const memory = process.memoryUsage()
    const c0 = performance.now()
    await core.close()
    const closeMs = performance.now() - c0
    return {
      bootMs,
      importMs,
      createMs: t1 - t0,
      startMs: t2 - t1,
      listMs: t3 - t0,
      listed: conversations.length,
      pageMs: t4 - t3,
      pageMessages: messages.length,
      newestSeq: messages[messages.length - 1]?.seq ?? 0,
      syncedMs,
      status,
      rssMiB: memory.rss / 2 ** 20,
      heapMiB: memory.heapUsed / 2 ** 20,
      closeMs,
      ...(profile ? { profile } : {})
    }
  }
})
