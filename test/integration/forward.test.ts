// Issue 20, forwarding: a message is sent again with `forward: { conversationId, seq }`
// (REST and socket). Its text and files are copied, the files as new ids sharing
// the bytes; only what the forwarder can read can be forwarded; the copy names
// where it came from. Runs on both engines (the integration-pg project).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { createUpload, download, sendBytes, sha256, waitFor } from '../helpers/files'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { connect, emitAck } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

const DAY = 24 * 3600 * 1000
let srv: TestServer
let skew = 0
let alice: TestUser
let bob: TestUser
let carol: TestUser
let group: string
let aliceCarol: string

const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })

async function send(user: TestUser, conversationId: string, body: Record<string, unknown>): Promise<ApiResponse> {
  return as(user, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), text: '', ...body })
}

async function upload(user: TestUser, conversationId: string, name: string, bytes: Buffer): Promise<string> {
  const res = await createUpload(srv.url, user, { conversationId, name, size: bytes.length, sha256: sha256(bytes) })
  const id = res.body.upload.id as string
  expect((await sendBytes(srv.url, user, id, 0, bytes)).status).toBe(200)
  return id
}

beforeAll(async () => {
  srv = await startServer({ clock: () => Date.now() + skew })
  // The first account is the server admin (retention is set below).
  ;[alice, bob, carol] = [await register(srv.url), await register(srv.url), await register(srv.url)]
  group = (await as(alice, 'POST', '/conversations', { kind: 'group', title: 'Design', memberIds: [bob.user.id] })).body.conversation.id as string
  aliceCarol = (await as(alice, 'POST', '/conversations', { kind: 'direct', userId: carol.user.id })).body.conversation.id as string
})
afterAll(() => srv.destroy())

describe('forwarding', () => {
  it('copies text and files without their bytes again; the reader of the copy downloads it and sees where it came from', async () => {
    const bytes = Buffer.from('quarterly numbers, forwarded')
    const fileId = await upload(bob, group, 'numbers.csv', bytes)
    const original = (await send(bob, group, { text: 'see the numbers', attachments: [fileId] })).body.message as Message

    const res = await send(alice, aliceCarol, { forward: { conversationId: group, seq: original.seq } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const copy = res.body.message as Message
    expect(copy).toMatchObject({
      senderId: alice.user.id,
      text: 'see the numbers',
      forwarded: { conversationId: group, seq: original.seq, senderId: bob.user.id, createdAt: original.createdAt }
    })
    expect(copy.attachments).toHaveLength(1)
    const [attachment] = copy.attachments!
    expect(attachment).toMatchObject({ name: 'numbers.csv', size: bytes.length, sha256: sha256(bytes) })
    expect(attachment!.id).not.toBe(fileId)

    // Carol is no member of the group: she reads the copy, not the original.
    const got = await download(srv.url, carol, attachment!.id)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(bytes)).toBe(true)
    expect((await download(srv.url, carol, fileId)).status).toBe(403)
    const carolsPage = (await as(carol, 'GET', `/conversations/${aliceCarol}/messages`)).body.messages as Message[]
    expect(carolsPage.at(-1)).toMatchObject({ forwarded: { conversationId: group }, attachments: [{ id: attachment!.id }] })
  })

  it('a retried forward (same clientId) gives the same message and files', async () => {
    const fileId = await upload(bob, group, 'retry.txt', Buffer.from('once'))
    const original = (await send(bob, group, { text: 'retry me', attachments: [fileId] })).body.message as Message
    const body = { clientId: randomUUID(), text: '', forward: { conversationId: group, seq: original.seq } }
    const first = await as(alice, 'POST', `/conversations/${aliceCarol}/messages`, body)
    const again = await as(alice, 'POST', `/conversations/${aliceCarol}/messages`, body)
    expect([first.status, again.status]).toEqual([201, 200])
    expect(again.body.message).toEqual(first.body.message)
  })

  it('text given by the forwarder replaces the source text; files still come along', async () => {
    const fileId = await upload(bob, group, 'plan.txt', Buffer.from('plan'))
    const original = (await send(bob, group, { text: 'the plan', attachments: [fileId] })).body.message as Message
    const copy = (await send(alice, aliceCarol, { text: 'FYI, from the design group', forward: { conversationId: group, seq: original.seq } })).body
      .message as Message
    expect(copy.text).toBe('FYI, from the design group')
    expect(copy.attachments?.map((a) => a.name)).toEqual(['plan.txt'])
  })

  it('over the socket too', async () => {
    const original = (await send(bob, group, { text: 'socket forward' })).body.message as Message
    const socket = await connect(srv.url, alice.accessToken)
    try {
      const ack = await emitAck<{ message: Message }>(socket, 'message:send', {
        clientId: randomUUID(),
        conversationId: aliceCarol,
        text: '',
        forward: { conversationId: group, seq: original.seq }
      })
      expect(ack.ok && ack.data.message).toMatchObject({ text: 'socket forward', forwarded: { conversationId: group, seq: original.seq } })
    } finally {
      socket.close()
    }
  })

  it('refuses what the forwarder cannot read, a deleted or system message, and files of their own beside a forward', async () => {
    const original = (await send(bob, group, { text: 'group only' })).body.message as Message
    const carolBob = (await as(carol, 'POST', '/conversations', { kind: 'direct', userId: bob.user.id })).body.conversation.id as string
    // Carol is not in the group.
    const notMember = await send(carol, carolBob, { forward: { conversationId: group, seq: original.seq } })
    expect(notMember.status).toBe(403)
    expect(notMember.body.error.code).toBe('forbidden')
    expect((await send(alice, aliceCarol, { forward: { conversationId: randomUUID(), seq: 1 } })).status).toBe(404)
    expect((await send(alice, aliceCarol, { forward: { conversationId: group, seq: 999 } })).status).toBe(404)

    await as(bob, 'DELETE', `/conversations/${group}/messages/${original.seq}`)
    const deleted = await send(alice, aliceCarol, { forward: { conversationId: group, seq: original.seq } })
    expect(deleted.status).toBe(409)
    expect(deleted.body.error.message).toMatch(/deleted/)

    const system = (await as(alice, 'GET', `/conversations/${group}/messages?after=0&limit=1`)).body.messages[0] as Message
    expect(system.kind).toBe('system')
    expect((await send(alice, aliceCarol, { forward: { conversationId: group, seq: system.seq } })).status).toBe(409)

    const mine = await upload(alice, aliceCarol, 'mine.txt', Buffer.from('mine'))
    const both = await send(alice, aliceCarol, { forward: { conversationId: group, seq: 1 }, attachments: [mine] })
    expect(both.status).toBe(400)
    expect(both.body.error.message).toMatch(/body\.attachments/)
  })

  it('a forward of a forward names the first source', async () => {
    const original = (await send(bob, group, { text: 'chain' })).body.message as Message
    const first = (await send(alice, aliceCarol, { forward: { conversationId: group, seq: original.seq } })).body.message as Message
    const second = (await send(carol, aliceCarol, { forward: { conversationId: aliceCarol, seq: first.seq } })).body.message as Message
    expect(second.forwarded).toEqual(first.forwarded)
  })

  it('retention deleting the original file leaves the forwarded copy whole', async () => {
    const bytes = Buffer.from('kept in the copy')
    const fileId = await upload(bob, group, 'old.txt', bytes)
    const original = (await send(bob, group, { text: 'old file', attachments: [fileId] })).body.message as Message
    skew = 10 * DAY
    const copy = (await send(alice, aliceCarol, { forward: { conversationId: group, seq: original.seq } })).body.message as Message
    expect((await as(alice, 'PATCH', '/admin/settings', { retentionDays: 5 })).status).toBe(200)
    await waitFor(async () => (await download(srv.url, bob, fileId)).status === 404)
    const got = await download(srv.url, carol, copy.attachments![0]!.id)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(bytes)).toBe(true)
  })
})
