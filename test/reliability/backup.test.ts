// Online backup of the data directory (server/backup): taken while clients
// send, restored into a new directory, started: everything acknowledged
// before the backup began is there, once, at its seq. A server killed with
// SIGKILL during a backup, and a backup process killed, never leave a backup
// that looks whole but is not.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers, startChildServer, type ChildServer } from '../helpers/child-server'
import { runCli } from '../helpers/cli-run'
import { testEngine } from '../helpers/engines'
import { bytesOf, createUpload, download, sendBytes, sha256 } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { dataDirProblems } from './helpers/data-dir'
import { allMessages, historyProblems } from './helpers/history'
import { SendLoad, type Acked } from './helpers/send-load'

const SENDERS = 4
const IN_FLIGHT = 2

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'messenger-backup-'))
})
afterAll(async () => {
  killChildServers()
  await rm(root, { recursive: true, force: true })
})

interface Office {
  server: ChildServer
  users: TestUser[]
  groups: string[]
  files: { id: string; sha: string }[]
  sockets: ClientSocket[]
}

/** A server on `dataDir` with users in two groups, a message carrying files of `fileBytes`, and their sockets. */
async function office(dataDir: string, fileBytes: number[]): Promise<Office> {
  const server = await startChildServer(dataDir)
  const users = await Promise.all(Array.from({ length: SENDERS }, () => register(server.url)))
  const [owner, ...others] = users
  const groups: string[] = []
  for (const title of ['one', 'two']) {
    const made = await api(server.url, 'POST', '/conversations', { token: owner!.accessToken, body: { kind: 'group', title, memberIds: others.map((u) => u.user.id) } })
    groups.push(made.body.conversation.id as string)
  }
  const files: { id: string; sha: string }[] = []
  for (const [i, size] of fileBytes.entries()) {
    const bytes = bytesOf(size, i + 7)
    const created = await createUpload(server.url, owner!, { conversationId: groups[0], name: `f${i}.bin`, size, sha256: sha256(bytes) })
    const id = created.body.upload.id as string
    expect((await sendBytes(server.url, owner!, id, 0, bytes)).status).toBe(200)
    files.push({ id, sha: sha256(bytes) })
  }
  const sockets = await Promise.all(users.map((u) => connect(server.url, u.accessToken)))
  if (files.length > 0) {
    const sent = await emitAck(sockets[0]!, 'message:send', { conversationId: groups[0], clientId: crypto.randomUUID(), text: 'files', attachments: files.map((f) => f.id) })
    expect(sent.ok).toBe(true)
  }
  return { server, users, groups, files, sockets }
}

/** Restores `backup` into a new directory, starts a server there and checks it holds everything in `before`. */
async function restoreAndCheck(o: Office, backup: string, before: Map<string, Acked>, attempted: Set<string>): Promise<{ server: ChildServer; history: Map<string, Message[]> }> {
  const restored = join(root, `restored-${Date.now()}`)
  const restore = await runCli(['restore', '--from', backup, '--data-dir', restored]).done
  expect(restore.code, restore.stderr).toBe(0)
  const server = await startChildServer(restored)
  for (const user of o.users) {
    const login = await api(server.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
    expect(login.status, `${user.user.username} signs in`).toBe(200)
  }
  const token = o.users[0]!.accessToken
  const history = new Map<string, Message[]>()
  for (const id of o.groups) {
    const messages = await allMessages(server.url, token, id)
    expect(historyProblems(messages), `group ${id}`).toEqual([])
    history.set(id, messages)
    const at = new Map(messages.filter((m) => m.kind === 'text').map((m) => [m.clientId, m.seq]))
    const lost = [...before].filter(([clientId, a]) => a.conversationId === id && at.get(clientId) !== a.seq)
    expect(lost, `acknowledged before the backup, missing or moved in group ${id}`).toEqual([])
    // Nothing is there that nobody sent.
    for (const m of messages) if (m.kind === 'text' && m.text.startsWith('load ')) expect(attempted.has(m.clientId)).toBe(true)
  }
  // Checked once the server opened each conversation: a line the backup caught half-written is trimmed then, as after a crash.
  expect(await dataDirProblems(restored)).toEqual([])
  for (const file of o.files) {
    const got = await download(server.url, o.users[0]!, file.id)
    expect(got.status).toBe(200)
    expect(sha256(got.bytes)).toBe(file.sha)
  }
  return { server, history }
}

describe.skipIf(testEngine() === 'postgres')('online backup of the data directory', () => {
  it('taken under write load, restores to a server with every message acknowledged before it began', { timeout: 240_000 }, async () => {
    const dataDir = join(root, 'load')
    const o = await office(dataDir, [1024 * 1024, 3 * 1024 * 1024 + 17])
    const load = new SendLoad(o.sockets, o.groups, IN_FLIGHT)
    // Past one 512-message segment in each group, so the backup copies a full segment and a growing one.
    await load.reached(1100)
    const edited = [...load.acked].find(([, a]) => a.conversationId === o.groups[1])!
    const owner = o.users.findIndex((u) => u.user.id === o.users[0]!.user.id)
    // An edit acknowledged before the backup: the owner edits a message of its own.
    const own = await emitAck<{ message: Message }>(o.sockets[owner]!, 'message:send', { conversationId: o.groups[1], clientId: crypto.randomUUID(), text: 'to edit' })
    expect(own.ok).toBe(true)
    const editSeq = own.ok ? own.data.message.seq : 0
    expect((await emitAck(o.sockets[owner]!, 'message:edit', { conversationId: o.groups[1], seq: editSeq, text: 'edited' })).ok).toBe(true)
    const before = new Map(load.acked)
    const target = join(root, 'backup-load')
    const backup = await runCli(['backup', '--data-dir', dataDir, '--to', target]).done
    const during = load.acked.size - before.size
    await load.halt()
    expect(backup.code, backup.stderr).toBe(0)
    expect(backup.stdout).toContain(`server process ${o.server.child.pid} is running`)
    // The server kept answering while the backup ran.
    expect(during).toBeGreaterThan(0)
    for (const s of o.sockets) s.close()
    o.server.child.kill('SIGTERM')
    expect((await o.server.exited).code).toBe(0)

    const { server, history } = await restoreAndCheck(o, target, before, load.attempted)
    expect(edited).toBeDefined()
    expect(history.get(o.groups[1]!)!.find((m) => m.seq === editSeq)?.text).toBe('edited')
    // The restored server goes on from where the backup ends.
    const socket = await connect(server.url, o.users[1]!.accessToken)
    const next = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: o.groups[0], clientId: crypto.randomUUID(), text: 'after restore' })
    socket.close()
    expect(next.ok && next.data.message.seq).toBe(history.get(o.groups[0]!)!.length + 1)
    process.stdout.write(`backup under load: ${before.size} acked before, ${during} acked during the backup, all ${before.size} restored\n`)
    server.child.kill('SIGTERM')
    await server.exited
  })

  it('a server killed with SIGKILL during a backup: the backup fails clearly or is whole', { timeout: 240_000 }, async () => {
    const dataDir = join(root, 'killed-server')
    const o = await office(dataDir, [2 * 1024 * 1024, 2 * 1024 * 1024, 2 * 1024 * 1024])
    const load = new SendLoad(o.sockets, o.groups, IN_FLIGHT)
    await load.reached(400)
    const before = new Map(load.acked)
    const target = join(root, 'backup-killed-server')
    const run = runCli(['backup', '--data-dir', dataDir, '--to', target], {
      onLine: (line) => {
        if (line.startsWith('copying history')) o.server.child.kill('SIGKILL')
      }
    })
    const backup = await run.done
    await o.server.exited
    await load.halt()
    for (const s of o.sockets) s.close()
    if (backup.code === 0) {
      const { server } = await restoreAndCheck(o, target, before, load.attempted)
      server.child.kill('SIGTERM')
      await server.exited
    } else {
      expect(backup.stderr).toMatch(/failed, no backup was made/)
      expect(await readdir(root)).not.toContain('backup-killed-server')
    }
    expect((await readdir(root)).filter((n) => n.includes('.partial-'))).toEqual([])
    process.stdout.write(`server killed during a backup: the backup ${backup.code === 0 ? 'completed whole and restored' : 'failed clearly'}\n`)
  })

  it('a backup process killed midway leaves nothing under the target name, and the next run cleans up', { timeout: 240_000 }, async () => {
    const dataDir = join(root, 'killed-backup')
    const o = await office(dataDir, [1024 * 1024])
    const load = new SendLoad(o.sockets, o.groups, IN_FLIGHT)
    await load.reached(200)
    const target = join(root, 'backup-killed')
    const partials = async (): Promise<string[]> => (await readdir(root)).filter((n) => n.startsWith('.backup-killed.partial-'))
    // Killed at the worst moment: every file copied, the manifest not yet written.
    const crashed = await runCli(['backup', '--data-dir', dataDir, '--to', target], { env: { MESSENGER_CRASH_AT: 'backup-copied' } }).done
    expect(crashed.signal).toBe('SIGKILL')
    expect(await readdir(root)).not.toContain('backup-killed')
    const [partial] = await partials()
    expect(partial).toBeDefined()
    // What it left is not a backup to restore.
    const refused = await runCli(['restore', '--from', join(root, partial!), '--data-dir', join(root, 'from-partial')]).done
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('has no manifest.json')
    expect(await readdir(root)).not.toContain('from-partial')

    // The next backup to that name removes the leftover and completes.
    const again = await runCli(['backup', '--data-dir', dataDir, '--to', target]).done
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('removed 1 unfinished backup')
    expect(await partials()).toEqual([])
    expect((await runCli(['restore', '--from', target, '--check']).done).code).toBe(0)

    // Killed from outside while it copies the history (on a fast run it may have finished: then it is whole).
    const target2 = join(root, 'backup-killed-2')
    const run = runCli(['backup', '--data-dir', dataDir, '--to', target2], {
      onLine: (line) => {
        if (line.startsWith('copying history')) run.child.kill('SIGKILL')
      }
    })
    const killed = await run.done
    await load.halt()
    if (killed.signal === 'SIGKILL') expect(await readdir(root)).not.toContain('backup-killed-2')
    else expect((await runCli(['restore', '--from', target2, '--check']).done).code).toBe(0)
    for (const s of o.sockets) s.close()
    o.server.child.kill('SIGTERM')
    await o.server.exited
  })
})
