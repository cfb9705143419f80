// A small HTTP client for tests. Every response is recorded so the OpenAPI
// conformance test can check what the server really answered.
import type { AuthResponse } from '../../src/shared/schemas/auth'
import { openApiChecker } from './openapi-check'

export interface Recorded {
  method: string
  path: string
  status: number
  body: unknown
}

export const recorded: Recorded[] = []

export interface ApiResponse<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface RequestOptions {
  token?: string
  body?: unknown
  /** A raw body sent as-is (for malformed input tests). */
  raw?: string
  /** Bytes sent as-is (file uploads); give their Content-Type in headers. */
  bytes?: Uint8Array
  headers?: Record<string, string>
  /** Every response is checked against the OpenAPI document unless this is false. */
  checkContract?: boolean
  /** The path is from the server's root, not /api/v1 (GET /metrics). */
  root?: boolean
}

export async function api<T = any>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers['authorization'] = `Bearer ${options.token}`
  let body: string | Uint8Array | undefined
  if (options.bytes !== undefined) body = options.bytes
  else if (options.raw !== undefined) body = options.raw
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const res = await fetch(`${base}${options.root ? '' : '/api/v1'}${path}`, { method, headers, body: body as BodyInit | undefined })
  const text = await res.text()
  let parsed: unknown = undefined
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
  }
  const entry = { method: method.toLowerCase(), path: path.split('?')[0] ?? path, status: res.status, body: parsed }
  recorded.push(entry)
  if (options.checkContract !== false) {
    ;(await openApiChecker(base)).check(entry.method, entry.path, entry.status, entry.body)
  }
  return { status: res.status, body: parsed as T, headers: res.headers }
}

let counter = 0

/** A unique, valid username for this test run. */
export function uniqueName(prefix = 'user'): string {
  counter++
  return `${prefix}${counter}_${process.pid}`.slice(0, 32)
}

export interface TestUser extends AuthResponse {
  password: string
}

export async function register(base: string, name = uniqueName(), password = 'correct horse battery'): Promise<TestUser> {
  const res = await api<AuthResponse>(base, 'POST', '/auth/register', { body: { username: name, password } })
  if (res.status !== 201) throw new Error(`register ${name} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return { ...res.body, password }
}
