// Server crash during retention: a child server kills itself (SIGKILL, as a
// power cut) at each step of deleting old history. Right after the kill every
// data file parses; after a restart the expired messages are hidden, the kept
// ones are all there in order, and the restarted job finishes removing the
// expired ones from disk.
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { testEngine } from '../helpers/engines'
import { waitFor } from '../helpers/files'
import { api, register } from '../helpers/http'
import { connect, emitAck } from '../helpers/socket'
import { dataDirProblems } from './helpers/data-dir'
import { allMessages } from './helpers/history'

const TOTAL = 1200
/** Messages 1..OLD (segments 0 and 1 and part of 2) are made a year old. */
const OLD = 1100
const YEAR = 365 * 24 * 3600 * 1000
const POINTS = ['retention-marked', 'retention-segment-deleted', 'retention-boundary-rewritten'] as const

const dirs: string[] = []
afterAll(async () => {
  killChildServers()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Rewrites the stored times of messages 1..OLD a year back (the server is stopped). */
async function ageHistory(conversationDir: string): Promise<void> {
  for (const name of (await readdir(conversationDir)).filter((n) => n.endsWith('.jsonl'))) {
    const path = join(conversationDir, name)
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
    const aged = lines.map((line) => {
      const m = JSON.parse(line) as Message
      return JSON.stringify(m.seq <= OLD ? { ...m, createdAt: new Date(Date.parse(m.createdAt) - YEAR).toISOString() } : m)
    })
    await writeFile(path, aged.map((l) => l + '\n').join(''))
  }
}

// Data-dir only: the crash points are steps of rewriting segment files
// (MESSENGER_CRASH_AT in the data-dir engine), and the test ages history by
// editing those files; the postgres engine has neither.
describe.skipIf(testEngine() === 'postgres')('server crash during retention', () => {
  it.each(POINTS)('killed at %s: files parse, nothing kept is lost, the next run finishes', { timeout: 120_000 }, async (point) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'messenger-retention-crash-'))
    dirs.push(dataDir)
    let server = await startChildServer(dataDir)
    const admin = await register(server.url)
    const made = await api(server.url, 'POST', '/conversations', { token: admin.accessToken, body: { kind: 'group', title: 'old', memberIds: [] } })
    const conversationId = made.body.conversation.id as string
    const socket = await connect(server.url, admin.accessToken)
    // Group commit makes parallel sends cheap; the system message of the group's creation is seq 1.
    await Promise.all(
      Array.from({ length: TOTAL - 1 }, (_, i) =>
        emitAck(socket, 'message:send', { conversationId, clientId: randomUUID(), text: i < OLD - 1 ? `expired ${i}` : `kept ${i}` })
      )
    )
    socket.close()
    await api(server.url, 'PATCH', `/conversations/${conversationId}/messages/10`, { token: admin.accessToken, body: { text: 'expired, edited' } })
    await api(server.url, 'PATCH', `/conversations/${conversationId}/messages/${TOTAL}`, { token: admin.accessToken, body: { text: 'kept, edited' } })
    server.child.kill('SIGTERM')
    await server.exited
    await ageHistory(join(dataDir, 'messages', conversationId))

    server = await startChildServer(dataDir, [], { MESSENGER_CRASH_AT: point })
    // Setting retention runs the job at once; it dies at the crash point.
    void api(server.url, 'PATCH', '/admin/settings', { token: admin.accessToken, body: { retentionDays: 30 } }).catch(() => null)
    expect((await server.exited).signal).toBe('SIGKILL')
    expect(await dataDirProblems(dataDir)).toEqual([])

    server = await startChildServer(dataDir)
    const history = await allMessages(server.url, admin.accessToken, conversationId)
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL - OLD }, (_, i) => OLD + 1 + i))
    expect(history.at(-1)?.text).toBe('kept, edited')
    const dir = join(dataDir, 'messages', conversationId)
    // The job ran again at start and removed what the crash left.
    await waitFor(async () => {
      const names = await readdir(dir)
      const texts = await Promise.all(names.filter((n) => n.endsWith('.jsonl') || n === 'changes.log').map((n) => readFile(join(dir, n), 'utf8')))
      return !names.some((n) => n.endsWith('.tmp')) && !texts.some((t) => t.includes('expired'))
    })
    expect((await readdir(dir)).filter((n) => n.endsWith('.jsonl'))).toEqual(['00000002.jsonl'])
    expect(await dataDirProblems(dataDir)).toEqual([])
    const sent = await api(server.url, 'POST', `/conversations/${conversationId}/messages`, { token: admin.accessToken, body: { clientId: randomUUID(), text: 'after' } })
    expect(sent.body.message.seq).toBe(TOTAL + 1)
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  })
})
