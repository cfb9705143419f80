// Child process: measures durable appends on one prepared conversation, or a
// cold server start. Appends made here are taken off again when the store is
// closed (segment files cut back; rows deleted and the counter reset), so
// each measurement starts from the prepared history size.
//
// Engines: 'data-dir' is FileMessageRepo of this checkout, 'baseline' the same
// class from BENCH_BASELINE_DIR's checkout, 'postgres' the PgMessageRepo that
// openPostgresStore answers. On PostgreSQL the CPU of the database's backends
// (and the cluster's auxiliary processes) is sampled beside this process's.
import { randomUUID } from 'node:crypto'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import pg from 'pg'
import type * as ServerModule from '../../server'
import type * as FileRepoModule from '../../server/store/messages/file-message-repo'
import type { MessageRepo } from '../../server/store/types'
import { baselineModule, PgCpu, type PgCpuSample } from './engines'
import { serve } from './rpc'
import { restoreDir, snapshotDir } from './store-data'
import { api } from './util'

export type StoreEngine = 'data-dir' | 'baseline' | 'postgres'

export interface AppendProbe {
  engine: StoreEngine
  /** data-dir and baseline: the messages root (conversations are directories in it). */
  root?: string
  /** postgres: the prepared database. */
  databaseUrl?: string
  /** baseline: its checkout. */
  baselineDir?: string
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
  /** postgres: the CPU of the database's backends and of the cluster's auxiliary processes meanwhile, µs (NaN if not measured). */
  dbUs?: number
  dbAuxUs?: number
}

export interface StartProbe {
  engine: StoreEngine
  dataDir: string
  databaseUrl?: string
  baselineDir?: string
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

interface Open {
  repo: MessageRepo
  probe: AppendProbe
  /** Closes the repository and takes off what was appended since it was opened. */
  close(): Promise<void>
}

let open: Open | null = null
/** postgres: a connection of our own for restoring and vacuuming, and the CPU sampler; kept while the probe lives. */
let admin: pg.Client | null = null
let pgCpu: PgCpu | null = null

async function adminClient(url: string): Promise<pg.Client> {
  if (!admin) {
    admin = new pg.Client({ connectionString: url, application_name: 'messenger-bench-probe' })
    admin.on('error', () => undefined)
    await admin.connect()
  }
  return admin
}

async function fileRepoClass(p: AppendProbe): Promise<typeof FileRepoModule.FileMessageRepo> {
  const module =
    p.engine === 'baseline'
      ? await baselineModule<typeof FileRepoModule>({ dir: p.baselineDir! }, 'server/store/messages/file-message-repo.ts')
      : await import('../../server/store/messages/file-message-repo')
  return module.FileMessageRepo
}

async function openRepo(p: AppendProbe, dropIndex = false): Promise<MessageRepo> {
  if (p.engine === 'postgres') {
    if (dropIndex) throw new Error('PostgreSQL has no dedupe index to rebuild')
    const { openPostgresStore } = await import('../../server/store/postgres')
    const url = p.databaseUrl!
    const client = await adminClient(url)
    const store = await openPostgresStore(url)
    open = {
      repo: store.messages,
      probe: p,
      close: async () => {
        await store.close()
        await client.query('DELETE FROM messages WHERE conversation_id = $1 AND seq > $2', [p.conversationId, p.stored])
        await client.query('UPDATE message_counters SET last_seq = $2 WHERE conversation_id = $1', [p.conversationId, p.stored])
      }
    }
    return store.messages
  }
  const dir = join(p.root!, p.conversationId)
  const snapshot = await snapshotDir(dir)
  if (dropIndex) await unlink(join(dir, 'clientids.log'))
  const repo = await (await fileRepoClass(p)).open(p.root!)
  open = {
    repo,
    probe: p,
    close: async () => {
      await repo.close()
      await restoreDir(dir, snapshot)
    }
  }
  return repo
}

async function closeRepo(): Promise<void> {
  if (!open) return
  const was = open
  open = null
  await was.close()
}

function current(): Open {
  if (!open) throw new Error('no store open')
  return open
}

const append = (): Promise<unknown> => {
  const { repo, probe } = current()
  return repo.append(probe.conversationId, draft(probe.senderId))
}

/** postgres: starts sampling the database's CPU for a batch; answers a function that ends it. */
async function dbCpuSince(): Promise<() => Promise<Pick<BatchSample, 'dbUs' | 'dbAuxUs'>>> {
  const url = current().probe.databaseUrl
  if (!url) return () => Promise.resolve({})
  pgCpu ??= await PgCpu.open(url)
  const sampler = pgCpu
  const before: PgCpuSample = await sampler.sample()
  return async () => {
    const used = sampler.used(before, await sampler.sample())
    return { dbUs: used.backendUs + used.auxUs, dbAuxUs: used.auxUs }
  }
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
  /**
   * Opens the store for batches and warms it up (index loaded, code hot). On
   * PostgreSQL the rows deleted by the last restore are vacuumed first, so
   * every phase starts from the same tables; answers how long that took.
   */
  open: async (probe: AppendProbe) => {
    await closeRepo()
    let vacuumMs = 0
    if (probe.engine === 'postgres') {
      const started = performance.now()
      await (await adminClient(probe.databaseUrl!)).query('VACUUM messages, message_counters')
      vacuumMs = performance.now() - started
    }
    await openRepo(probe)
    for (let i = 0; i < 100; i++) await append()
    return vacuumMs
  },
  sequential: async (n: number): Promise<BatchSample> => {
    const db = await dbCpuSince()
    const cpu = process.cpuUsage()
    const latencies: number[] = []
    for (let i = 0; i < n; i++) {
      const started = performance.now()
      await append()
      latencies.push(performance.now() - started)
    }
    const used = process.cpuUsage(cpu)
    return { latencies, cpuUs: used.user + used.system, ...(await db()) }
  },
  concurrent: async ({ n, appenders }: { n: number; appenders: number }): Promise<BatchSample> => {
    const db = await dbCpuSince()
    const cpu = process.cpuUsage()
    let left = n
    const started = performance.now()
    const appender = async (): Promise<void> => {
      while (left-- > 0) await append()
    }
    await Promise.all(Array.from({ length: appenders }, appender))
    const used = process.cpuUsage(cpu)
    const ms = performance.now() - started
    return { latencies: [ms], cpuUs: used.user + used.system, ...(await db()) }
  },
  close: closeRepo,
  exit: async () => {
    await closeRepo()
    await pgCpu?.close()
    await admin?.end().catch(() => undefined)
  },

  start: async (p: StartProbe): Promise<StartSample> => {
    let started = performance.now()
    const { createMessengerServer, createLogger } =
      p.engine === 'baseline' ? await baselineModule<typeof ServerModule>({ dir: p.baselineDir! }, 'server/index.ts') : await import('../../server')
    const importMs = performance.now() - started
    started = performance.now()
    const server = createMessengerServer({
      dataDir: p.dataDir,
      ...(p.engine === 'postgres' ? { databaseUrl: p.databaseUrl } : {}),
      port: 0,
      host: '127.0.0.1',
      // Errors only: a failed request then says why on stderr.
      logger: createLogger({ level: 'error' }),
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
