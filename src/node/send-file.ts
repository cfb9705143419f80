// Writes part of a file to an HTTP message (a download's response, an
// upload's request) from a few buffers it reuses: one is refilled only after
// the socket has taken what it held, so the ring bounds what is queued (no
// 'drain' wait, which would stop the next read while the socket flushes). A read stream allocates a new buffer
// per read instead, and at a gigabyte a second that churn of external memory
// is what sends V8 into back-to-back full collections and makes the RSS
// climb between them.
import { open } from 'node:fs/promises'
import type { OutgoingMessage } from 'node:http'

const RING = 4
const CHUNK = 256 * 1024

/**
 * Sends bytes [from, to) of the file; does not end the message. Resolves
 * false when the message was closed (the other side went away) before all
 * were sent; the file's being shorter than `to` is an error.
 */
export async function sendFile(out: OutgoingMessage, path: string, from: number, to: number): Promise<boolean> {
  const handle = await open(path, 'r')
  // Listeners, not events.once: an 'error' must not turn into a rejection nobody awaits.
  const closed = new Promise<false>((done) => out.once('close', () => done(false)))
  const ring = Array.from({ length: RING }, () => ({ buffer: Buffer.allocUnsafe(Math.min(CHUNK, to - from)), free: Promise.resolve(true) }))
  try {
    for (let at = from, i = 0; at < to; i = (i + 1) % RING) {
      const slot = ring[i]!
      if (!(await Promise.race([slot.free, closed])) || out.destroyed) return false
      const { bytesRead } = await handle.read(slot.buffer, 0, Math.min(slot.buffer.length, to - at), at)
      if (bytesRead === 0) throw new Error(`${path} ends at byte ${at}, before ${to}`)
      at += bytesRead
      slot.free = new Promise((done) => out.write(slot.buffer.subarray(0, bytesRead), (err) => done(!err)))
    }
    return (await Promise.all(ring.map((slot) => slot.free))).every(Boolean)
  } finally {
    await handle.close()
  }
}
