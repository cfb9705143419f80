// Server crash: a child server is killed with SIGKILL at random points while
// several clients stream acknowledged sends and an admin keeps changing the
// group. After every restart each acknowledged message is there exactly once,
// every acknowledged admin change holds, and every data file parses. Also
// killed during resumable uploads: every acknowledged byte is kept.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers, startChildServer, type ChildServer } from '../helpers/child-server'
import { api, register } from '../helpers/http'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { bytesOf, createUpload, download, sendBytes, sha256 } from '../helpers/files'
import { dataDirProblems } from './helpers/data-dir'
import { allMessages, historyProblems } from './helpers/history'
import { random, scale, seed } from './helpers/soak'

const CYCLES = scale('RELIABILITY_CRASH_CYCLES', 5, 50)
const SENDERS = 4
const IN_FLIGHT = 3
const UPLOAD_CYCLES = scale('RELIABILITY_CRASH_UPLOADS', 3, 20)
const UPLOAD_BYTES = 4 * 1024 * 1024
const UPLOAD_CHUNK = 256 * 1024

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'messenger-crash-'))
})
afterAll(async () => {
  killChildServers()
  await rm(dataDir, { recursive: true, force: true })
})

/** An admin change in flight or done: what the group must show if it was acknowledged. */
type Change = { kind: 'title'; title: string } | { kind: 'member'; userId: string; present: boolean }

describe('server crash', () => {
  it(`${CYCLES} SIGKILLs during acked sends and group admin changes lose nothing acknowledged`, { timeout: 120_000 + CYCLES * 30_000 }, async () => {
    const rand = random(seed())
    let server: ChildServer = await startChildServer(dataDir)
    const [admin, ...rest] = await Promise.all(Array.from({ length: SENDERS + 2 }, () => register(server.url)))
    const senders = rest.slice(0, SENDERS)
    const toggled = rest.slice(SENDERS)
    const created = await api(server.url, 'POST', '/conversations', {
      token: admin!.accessToken,
      body: { kind: 'group', title: 't0', memberIds: senders.map((u) => u.user.id) }
    })
    const conversationId = created.body.conversation.id as string
    const acked = new Map<string, number>()
    const attempted = new Set<string>()
    /** Admin changes acknowledged, in order; and the one in flight when the server died. */
    const changes: Change[] = []
    let inFlight: Change | null = null
    const members = new Map(toggled.map((u) => [u.user.id, false]))
    let title = 't0'
    let killed = 0

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const sockets: ClientSocket[] = await Promise.all(senders.map((u) => connect(server.url, u.accessToken)))
      let dead = false
      // Kill once this many more sends are acked, at the start of the next admin change after that.
      const threshold = acked.size + 20 + Math.floor(rand() * 200)
      let killNow: () => void = () => undefined
      const killArmed = new Promise<void>((resolve) => (killNow = resolve))
      const streams = sockets.flatMap((socket) =>
        Array.from({ length: IN_FLIGHT }, async () => {
          while (!dead) {
            const clientId = randomUUID()
            attempted.add(clientId)
            try {
              const ack = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId, clientId, text: `c${cycle}` })
              if (ack.ok) acked.set(clientId, ack.data.message.seq)
              else throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`)
              if (acked.size >= threshold) killNow()
            } catch (err) {
              if (dead) return
              throw err
            }
          }
        })
      )
      const adminStream = (async () => {
        let armed = false
        void killArmed.then(() => (armed = true))
        while (!dead) {
          const change: Change =
            rand() < 0.5
              ? { kind: 'title', title: `t${cycle}-${randomUUID().slice(0, 6)}` }
              : (() => {
                  const user = toggled[Math.floor(rand() * toggled.length)]!
                  return { kind: 'member' as const, userId: user.user.id, present: !members.get(user.user.id) }
                })()
          inFlight = change
          const request =
            change.kind === 'title'
              ? api(server.url, 'PATCH', `/conversations/${conversationId}`, { token: admin!.accessToken, body: { title: change.title } })
              : change.present
                ? api(server.url, 'POST', `/conversations/${conversationId}/members`, { token: admin!.accessToken, body: { userIds: [change.userId] } })
                : api(server.url, 'DELETE', `/conversations/${conversationId}/members/${change.userId}`, { token: admin!.accessToken })
          if (armed) {
            // The request is on its way: the server dies in the middle of it.
            dead = true
            server.child.kill('SIGKILL')
          }
          const res = await request.catch(() => null)
          if (res === null) return
          if (res.status >= 300) throw new Error(`admin change refused: ${res.status} ${JSON.stringify(res.body)}`)
          changes.push(change)
          inFlight = null
          if (change.kind === 'title') title = change.title
          else members.set(change.userId, change.present)
        }
      })()
      await adminStream
      await server.exited
      killed++
      for (const s of sockets) s.close()
      await Promise.all(streams)

      server = await startChildServer(dataDir)
      const history = await allMessages(server.url, admin!.accessToken, conversationId)
      expect(historyProblems(history)).toEqual([])
      const byClientId = new Map(history.filter((m) => m.kind === 'text').map((m) => [m.clientId, m]))
      const lost = [...acked].filter(([clientId, seq]) => byClientId.get(clientId)?.seq !== seq)
      expect(lost, `cycle ${cycle}: acked messages lost or moved`).toEqual([])
      for (const clientId of byClientId.keys()) expect(attempted.has(clientId)).toBe(true)

      // Acknowledged admin changes hold; the one cut by the crash may or may not have happened.
      const group = await api(server.url, 'GET', `/conversations/${conversationId}`, { token: admin!.accessToken })
      const cut = inFlight as Change | null
      const titles = [title, ...(cut?.kind === 'title' ? [cut.title] : [])]
      expect(titles).toContain(group.body.conversation.title)
      if (group.body.conversation.title !== title) title = group.body.conversation.title as string
      const present = new Set((group.body.conversation.members as { user: { id: string } }[]).map((m) => m.user.id))
      for (const [userId, expected] of members) {
        if (cut?.kind === 'member' && cut.userId === userId) members.set(userId, present.has(userId))
        else expect(present.has(userId), `cycle ${cycle}: membership of ${userId}`).toBe(expected)
      }
      inFlight = null
      expect(await dataDirProblems(dataDir)).toEqual([])
    }
    expect(killed).toBe(CYCLES)
    process.stdout.write(`crash: ${killed} SIGKILLs, ${acked.size} acked messages all present once, ${changes.length} acked admin changes\n`)
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  })

  it(`${UPLOAD_CYCLES} SIGKILLs during resumable uploads: every acknowledged byte is kept, finished files stay whole, no partial file is served`, { timeout: 120_000 + UPLOAD_CYCLES * 30_000 }, async () => {
    const rand = random(seed())
    const filesDir = await mkdtemp(join(tmpdir(), 'messenger-crash-files-'))
    let server: ChildServer = await startChildServer(filesDir)
    const owner = await register(server.url)
    const made = await api(server.url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'files', memberIds: [] } })
    const conversationId = made.body.conversation.id as string
    const finished: { id: string; sha: string }[] = []
    for (let cycle = 0; cycle < UPLOAD_CYCLES; cycle++) {
      const bytes = bytesOf(UPLOAD_BYTES, cycle + 1)
      const created = await createUpload(server.url, owner, { conversationId, name: `part${cycle}.bin`, size: bytes.length, sha256: sha256(bytes) })
      expect(created.status).toBe(201)
      const id = created.body.upload.id as string
      // Chunks one after another; the server is killed while one of them is on the wire.
      let acked = 0
      const killAt = 1 + Math.floor(rand() * (UPLOAD_BYTES / UPLOAD_CHUNK - 2))
      for (let chunk = 0; acked < bytes.length; chunk++) {
        const sending = sendBytes(server.url, owner, id, acked, bytes.subarray(acked, acked + UPLOAD_CHUNK)).catch(() => null)
        if (chunk === killAt) {
          server.child.kill('SIGKILL')
          const cut = await sending
          // An answer that made it out before the kill counts as acknowledged.
          if (cut && cut.status === 200) acked = cut.body.upload.offset as number
          break
        }
        const res = await sending
        expect(res?.status, `cycle ${cycle}: chunk ${chunk}`).toBe(200)
        acked = res!.body.upload.offset as number
      }
      await server.exited
      server = await startChildServer(filesDir)

      // Not a file yet: nobody can download it, and the server kept at least what it acknowledged.
      expect((await download(server.url, owner, id)).status).toBeGreaterThanOrEqual(400)
      const state = await api(server.url, 'GET', `/uploads/${id}`, { token: owner.accessToken })
      expect(state.status).toBe(200)
      const kept = state.body.upload.offset as number
      expect(kept, `cycle ${cycle}: acknowledged ${acked}, kept ${kept}`).toBeGreaterThanOrEqual(acked)
      expect(kept).toBeLessThanOrEqual(bytes.length)
      // Resumed from there, it completes with the right checksum.
      const rest = await sendBytes(server.url, owner, id, kept, bytes.subarray(kept))
      expect(rest.status).toBe(200)
      expect(rest.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
      finished.push({ id, sha: sha256(bytes) })
      // Every file finished in an earlier cycle is still whole.
      for (const file of finished) {
        const got = await download(server.url, owner, file.id)
        expect(got.status).toBe(200)
        expect(sha256(got.bytes), `cycle ${cycle}: file ${file.id}`).toBe(file.sha)
      }
      expect(await dataDirProblems(filesDir)).toEqual([])
    }
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    process.stdout.write(`crash: ${UPLOAD_CYCLES} SIGKILLs during uploads, ${finished.length} files resumed and whole\n`)
    await rm(filesDir, { recursive: true, force: true })
  })
})
