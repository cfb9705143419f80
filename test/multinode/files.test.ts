// Files on several nodes sharing one database and one files directory, each
// request sent to a node of the test's choosing: an upload started through
// one node continues through another and downloads whole through a third;
// one request at a time writes an upload, whichever nodes they reach; and a
// node killed (kill -9) in the middle of an upload lets another node finish
// it, with the bytes the dead node wrote past its recorded offset never
// counted.
import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Cluster } from '../helpers/cluster'
import { bytesOf, createUpload, download, headersOnly, sendBytes, sendThenCut, sha256, waitFor } from '../helpers/files'
import { api, type TestUser } from '../helpers/http'
import { groupOf, nodeUser, type NodeUser } from './senders'
import { clusterSuite } from './suite'

const MiB = 1 << 20

let cluster: Cluster
let alice: NodeUser
let bob: NodeUser
let group = ''

const url = (node: number): string => cluster.node(node).url
/** The user as signed in on `node`. */
const on = (user: NodeUser, node: number): TestUser => ({ ...user.user, accessToken: user.tokens[node]! })

async function offsetOn(node: number, id: string): Promise<number> {
  const res = await api(url(node), 'GET', `/uploads/${id}`, { token: alice.tokens[node]! })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.upload.offset as number
}

async function newUpload(node: number, bytes: Buffer, name: string): Promise<string> {
  const res = await createUpload(url(node), on(alice, node), { conversationId: group, name, size: bytes.length, sha256: sha256(bytes) })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.upload.id as string
}

/** A PATCH whose body the test sends bit by bit; `response` settles when the server answers (or the connection breaks). */
function openPatch(node: number, id: string, offset: number, length: number): { req: ClientRequest; response: Promise<{ status: number; body: any }> } {
  const req = request(new URL(`${url(node)}/api/v1/uploads/${id}`), {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${alice.tokens[node]!}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'content-length': String(length)
    }
  })
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res: IncomingMessage) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
  })
  response.catch(() => undefined)
  return { req, response }
}

/** Waits until no request writes the upload (a PATCH of nothing at offset 0 is no longer refused as busy). */
async function notBusy(node: number, id: string): Promise<void> {
  await waitFor(async () => {
    const probe = await headersOnly(url(node), on(alice, node), `/uploads/${id}`, { 'upload-offset': '0', 'content-length': '0' }).catch(() => null)
    return probe !== null && !/another request/.test(probe.body)
  })
}

clusterSuite({ nodes: 3 }, (c) => (cluster = c))
beforeAll(async () => {
  alice = await nodeUser(cluster)
  bob = await nodeUser(cluster)
  group = await groupOf(cluster, [alice, bob], 'files across nodes')
})

describe('uploads across nodes', () => {
  it('started through node 0, continued through node 1 from the offset it gives, downloaded whole through node 2', async () => {
    const bytes = bytesOf(3 * MiB + 123, 7)
    const id = await newUpload(0, bytes, 'travels.bin')
    const first = MiB + 5
    expect((await sendBytes(url(0), on(alice, 0), id, 0, bytes.subarray(0, first))).body.upload.offset).toBe(first)
    expect(await offsetOn(1, id)).toBe(first)
    const rest = await sendBytes(url(1), on(alice, 1), id, first, bytes.subarray(first))
    expect(rest.status, JSON.stringify(rest.body)).toBe(200)
    expect(rest.body.upload).toMatchObject({ complete: true, offset: bytes.length, sha256: sha256(bytes) })
    const got = await download(url(2), on(bob, 2), id)
    expect(got.status).toBe(200)
    expect(sha256(got.bytes)).toBe(sha256(bytes))
  })

  it('two PATCHes of one upload at the same moment through two nodes: one writes it, the other is refused 409', async () => {
    const bytes = bytesOf(256 * 1024, 8)
    const id = await newUpload(0, bytes, 'raced.bin')
    const answers = await Promise.all([1, 2].map((node) => sendBytes(url(node), on(alice, node), id, 0, bytes)))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect(answers.find((a) => a.status === 200)!.body.upload.complete).toBe(true)
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('conflict')
    expect(sha256((await download(url(0), on(bob, 0), id)).bytes)).toBe(sha256(bytes))
  })

  it('while a request through node 0 writes an upload, one through node 1 is refused 409 before sending a byte; the first finishes', async () => {
    const bytes = bytesOf(2 * MiB, 9)
    const id = await newUpload(0, bytes, 'held.bin')
    const held = openPatch(0, id, 0, bytes.length)
    held.req.write(bytes.subarray(0, 256 * 1024))
    await waitFor(async () => (await offsetOn(0, id)) >= 256 * 1024)
    const refused = await headersOnly(url(1), on(alice, 1), `/uploads/${id}`, { 'upload-offset': '0', 'content-length': String(bytes.length) })
    expect(refused.status).toBe(409)
    expect(JSON.parse(refused.body).error.message).toMatch(/another request is sending bytes/)
    held.req.end(bytes.subarray(256 * 1024))
    const done = await held.response
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
  })

  it('kill -9 of the node writing an upload: another node takes it over, counts only what was recorded, and finishes it whole', async () => {
    const bytes = bytesOf(4 * MiB, 11)
    const id = await newUpload(0, bytes, 'survivor.bin')
    // A first piece, recorded as its request ends.
    await sendBytes(url(0), on(alice, 0), id, 0, bytes.subarray(0, MiB))
    // The next request dies with its node, its bytes in the part file but not in the record.
    const dying = openPatch(0, id, MiB, bytes.length - MiB)
    dying.req.write(bytes.subarray(MiB, 3 * MiB))
    await waitFor(async () => (await offsetOn(0, id)) >= 3 * MiB)
    await cluster.kill(0)
    await dying.response.catch(() => undefined)

    const recorded = await offsetOn(1, id)
    expect(recorded).toBeGreaterThanOrEqual(MiB)
    expect(recorded).toBeLessThanOrEqual(3 * MiB)
    // Free to write once the database has seen the dead node's session end.
    await notBusy(1, id)
    // A resume through node 1 that is itself cut: the upload then holds exactly what was recorded plus what this request sent.
    const piece = 512 * 1024
    await sendThenCut(url(1), on(alice, 1), id, recorded, bytes.subarray(recorded, recorded + piece), bytes.length - recorded)
    expect(await offsetOn(2, id)).toBe(recorded + piece)
    const rest = await sendBytes(url(2), on(alice, 2), id, recorded + piece, bytes.subarray(recorded + piece))
    expect(rest.status, JSON.stringify(rest.body)).toBe(200)
    expect(rest.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
    const got = await download(url(1), on(bob, 1), id)
    expect(got.status).toBe(200)
    expect(sha256(got.bytes)).toBe(sha256(bytes))
  })
})
