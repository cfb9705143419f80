// Raw HTTP for file tests: bytes up and down, and requests cut on purpose.
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { api, type ApiResponse, type TestUser } from './http'

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Deterministic bytes that are not all the same. */
export function bytesOf(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    out[i] = x >>> 16
  }
  return out
}

export function createUpload(base: string, user: TestUser, body: Record<string, unknown>): Promise<ApiResponse> {
  return api(base, 'POST', '/files', { token: user.accessToken, body })
}

export async function sendBytes(
  base: string,
  user: TestUser,
  id: string,
  offset: number,
  bytes: Uint8Array,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}/api/v1/uploads/${id}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${user.accessToken}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      ...headers
    },
    body: bytes as unknown as BodyInit
  })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

export async function download(base: string, user: TestUser, id: string, headers: Record<string, string> = {}, path = `/files/${id}`) {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${user.accessToken}`, ...headers } })
  const bytes = Buffer.from(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) }
}

/**
 * Starts a PATCH declaring `declared` bytes, sends `first`, waits until the
 * server holds them, then breaks the connection.
 */
export async function sendThenCut(base: string, user: TestUser, id: string, offset: number, first: Uint8Array, declared: number): Promise<void> {
  const url = new URL(`${base}/api/v1/uploads/${id}`)
  const req = request(url, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${user.accessToken}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'content-length': String(declared)
    }
  })
  req.on('error', () => undefined)
  req.write(first)
  await waitFor(async () => (await api(base, 'GET', `/uploads/${id}`, { token: user.accessToken })).body.upload.offset >= offset + first.length)
  req.destroy()
  // The server's writer has let go once a continuation is no longer "busy".
  await waitFor(async () => {
    const probe = await fetch(url, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'content-length': '0' }
    })
    const body = (await probe.json()) as { error?: { message: string } }
    return !/another request/.test(body.error?.message ?? '')
  })
}

/** Polls a condition the server will reach (no fixed sleeps). */
export async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Sends only the headers of a PATCH (Expect: 100-continue) and returns the status the server answers before any byte. */
export function headersOnly(base: string, user: TestUser, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(`${base}/api/v1${path}`), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/offset+octet-stream', expect: '100-continue', ...headers }
    })
    req.on('continue', () => reject(new Error('the server asked for the body before refusing it')))
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode ?? 0, body })
      })
    })
    req.on('error', reject)
    req.flushHeaders()
  })
}
