// The cost of keeping the search index current as messages arrive, measured by
// driving SearchIndex directly (no HTTP, no message store): CPU time of
// put() plus the flush that writes it, per message.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Message } from '../../src/shared/schemas/messages'
import { silentLogger } from '../../server'
import { SearchIndex } from '../../server/search/search-index'
import type { TextMaker } from './search-data'

export interface PutCost {
  /** Messages put per flush (1: each one its own transaction, as at a low message rate). */
  batch: number
  messages: number
  cpuPerMessageUs: number
  wallPerMessageUs: number
  lastSeq: number
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function cpuUs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return used.user + used.system
}

/**
 * Appends `messages` new messages (in batches of `batch` per flush, after a
 * few unmeasured batches) to one conversation of the index at `path`,
 * continuing after `afterSeq`; returns the cost and the last seq put.
 */
export async function measurePuts(path: string, conversationId: string, afterSeq: number, messages: number, batch: number, texts: TextMaker): Promise<PutCost> {
  const index = SearchIndex.open(path, silentLogger())
  if (!index) throw new Error('node:sqlite is not available')
  try {
    // A few batches first (not measured): the open, a cold page cache.
    const warmup = batch * Math.max(1, Math.ceil(200 / batch))
    const drafts: Message[] = []
    const now = Date.now()
    for (let i = 0; i < warmup + messages; i++) {
      drafts.push({
        id: randomUUID(),
        clientId: randomUUID(),
        conversationId,
        seq: afterSeq + 1 + i,
        kind: 'text',
        senderId: randomUUID(),
        text: texts.text(),
        createdAt: new Date(now + i).toISOString()
      })
    }
    for (let i = 0; i < warmup; i += batch) {
      for (let j = i; j < i + batch; j++) index.put(drafts[j]!)
      await nextTurn()
    }
    // The loop's own cost (awaiting a turn) without any put, to subtract.
    let cpu = process.cpuUsage()
    let started = performance.now()
    for (let i = 0; i < messages; i += batch) await nextTurn()
    const idleCpu = cpuUs(cpu)
    const idleWall = performance.now() - started

    cpu = process.cpuUsage()
    started = performance.now()
    for (let i = warmup; i < warmup + messages; i += batch) {
      for (let j = i; j < Math.min(warmup + messages, i + batch); j++) index.put(drafts[j]!)
      await nextTurn() // the put scheduled its flush (setImmediate) before this turn
    }
    const usedCpu = cpuUs(cpu) - idleCpu
    const wallMs = performance.now() - started - idleWall
    if (index.progress(conversationId).seq !== afterSeq + warmup + messages) throw new Error('index progress did not reach the last message put')
    return { batch, messages, cpuPerMessageUs: usedCpu / messages, wallPerMessageUs: (wallMs * 1000) / messages, lastSeq: afterSeq + warmup + messages }
  } finally {
    index.close()
  }
}
