// Child process: measures durable appends on one prepared conversation, or a
// cold server start. Appends made here are cut off again when the store is
// closed, so each measurement starts from the prepared history size.
import { randomUUID } from 'node:crypto'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { FileMessageRepo } from '../../server/store/messages/file-message-repo'
import { serve } from './rpc'
import { restoreDir, snapshotDir, type DirSnapshot } from './store-data'
import { api } from './util'

export interface AppendProbe {
  root: string
  conversationId: string
  /** Messages already stored in the conversation. */
  stored: number
  senderId: string
}

export interface FirstSample {
  ms: number
  /** Longest the event loop was blocked meanwhile. */
  stallMs: number
}

export interface BatchSample {
  /** Per-append latencies (sequential) or one total (concurrent), ms. */
  latencies: number[]
  /** This process's CPU time, µs. */
  cpuUs: number
}

export interface StartProbe {
  dataDir: string
  token: string
  conversationId: string
}

export interface StartSample {
  importMs: number
  /** createMessengerServer + listen() + first GET /health answered. */
  startMs: number
  /** First GET /conversations: opens every conversation of the caller. */
  listMs: number
  /** First POST of a message into a conversation (loads its dedupe index). */
  firstSendMs: number
}

const draft = (senderId: string): { clientId: string; senderId: string; text: string } => ({
  clientId: randomUUID(),
  senderId,
  text: 'benchmark append: a message of an ordinary length, about sixty bytes'
})

let open: { repo: FileMessageRepo; probe: AppendProbe; snapshot: DirSnapshot } | null = null

async function openRepo(p: AppendProbe, dropIndex = false): Promise<FileMessageRepo> {
  const dir = join(p.root, p.conversationId)
  const snapshot = await snapshotDir(dir)
  if (dropIndex) await unlink(join(dir, 'clientids.log'))
  const repo = await FileMessageRepo.open(p.root)
  open = { repo, probe: p, snapshot }
  return repo
}

/** Closes the repo and cuts off everything appended since it was opened. */
async function closeRepo(): Promise<void> {
  if (!open) return
  const { repo, probe, snapshot } = open
  open = null
  await repo.close()
  await restoreDir(join(probe.root, probe.conversationId), snapshot)
}

function current(): { repo: FileMessageRepo; probe: AppendProbe } {
  if (!open) throw new Error('no store open')
  return open
}

const append = (): Promise<unknown> => {
  const { repo, probe } = current()
  return repo.append(probe.conversationId, draft(probe.senderId))
}

serve({
  /** Opens the store, appends once (cold: opens the log, loads the dedupe index), closes and restores. */
  first: async ({ probe, dropIndex }: { probe: AppendProbe; dropIndex: boolean }): Promise<FirstSample> => {
    const repo = await openRepo(probe, dropIndex)
    const stalls = monitorEventLoopDelay({ resolution: 5 })
    try {
      stalls.enable()
      const started = performance.now()
      const { message } = await repo.append(probe.conversationId, draft(probe.senderId))
      const ms = performance.now() - started
      stalls.disable()
      if (message.seq !== probe.stored + 1) throw new Error(`expected seq ${probe.stored + 1}, got ${message.seq}: bad prepared data`)
      return { ms, stallMs: stalls.max / 1e6 }
    } finally {
      await closeRepo()
    }
  },
  /** Opens the store for batches and warms it up (index loaded, code hot). */
  open: async (probe: AppendProbe) => {
    await closeRepo()
    await openRepo(probe)
    for (let i = 0; i < 100; i++) await append()
    return null
  },
  sequential: async (n: number): Promise<BatchSample> => {
    const cpu = process.cpuUsage()
    const latencies: number[] = []
    for (let i = 0; i < n; i++) {
      const started = performance.now()
      await append()
      latencies.push(performance.now() - started)
    }
    const used = process.cpuUsage(cpu)
    return { latencies, cpuUs: used.user + used.system }
  },
  concurrent: async ({ n, appenders }: { n: number; appenders: number }): Promise<BatchSample> => {
    const cpu = process.cpuUsage()
    let left = n
    const started = performance.now()
    const appender = async (): Promise<void> => {
      while (left-- > 0) await append()
    }
    await Promise.all(Array.from({ length: appenders }, appender))
    const used = process.cpuUsage(cpu)
    return { latencies: [performance.now() - started], cpuUs: used.user + used.system }
  },
  close: closeRepo,
  exit: closeRepo,

  start: async (p: StartProbe): Promise<StartSample> => {
    let started = performance.now()
    const { createMessengerServer, silentLogger } = await import('../../server')
    const importMs = performance.now() - started
    started = performance.now()
    const server = createMessengerServer({
      dataDir: p.dataDir,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      scryptN: 2 ** 14,
      loginLimit: { windowMs: 60_000, max: 100_000 }
    })
    try {
      const { port } = await server.listen()
      const base = `http://127.0.0.1:${port}`
      await api(base, 'GET', '/health')
      const startMs = performance.now() - started
      started = performance.now()
      await api(base, 'GET', '/conversations', undefined, p.token)
      const listMs = performance.now() - started
      started = performance.now()
      await api(base, 'POST', `/conversations/${p.conversationId}/messages`, { clientId: randomUUID(), text: 'hello after restart' }, p.token)
      const firstSendMs = performance.now() - started
      return { importMs, startMs, listMs, firstSendMs }
    } finally {
      await server.close()
    }
  }
})
