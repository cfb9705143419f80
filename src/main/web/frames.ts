// The Node host's wire format: the page sends `{id, method, payload}`; the
// host answers `{id, result}` and pushes `{events}` batches. A malformed frame
// gets an error answer, never a crash.
import type { RawData } from 'ws'
import type { ErrorBody, Result } from '../../shared/errors'
import type { MessengerEvent } from '../../shared/ipc'

export type HostReply = { id: number | null; result: Result<unknown> } | { events: MessengerEvent[] }

type Frame = { ok: true; id: number; method: string; payload: unknown } | { ok: false; error: ErrorBody }

export function parseFrame(data: RawData, isBinary: boolean): Frame {
  if (isBinary) return bad('send text frames of JSON')
  let value: unknown
  try {
    value = JSON.parse(rawText(data))
  } catch {
    return bad('the frame is not JSON')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad('send an object {id, method, payload}')
  const { id, method, payload } = value as Record<string, unknown>
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return bad('id must be a whole number')
  if (typeof method !== 'string') return bad('method must be a string')
  return { ok: true, id, method, payload }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}

function bad(message: string): Frame {
  return { ok: false, error: { code: 'bad_json', message } }
}

export const hostErrors = {
  internal: (err: unknown): ErrorBody => ({ code: 'internal', message: err instanceof Error ? err.message : String(err) })
}
