// Writes part of a file to an HTTP message (a download's response, an
// upload's request) from a few buffers it reuses, where a read stream would
// allocate a new one per read: a transfer then allocates nothing per read
// (measured: half the server's CPU per downloaded GiB, and flat RSS). A
// buffer is refilled only after the socket has taken what it held, so the
// ring bounds what is queued; there is no 'drain' wait, which would stop the
// next read while the socket flushes.
import { open } from 'node:fs/promises'
import type { OutgoingMessage } from 'node:http'

const RING = 4
const CHUNK = 256 * 1024

/**
 * Sends bytes [from, to) of the file; does not end the message. Resolves
 * false when the message was closed (the other side went away) before all
 * were sent; the file's being shorter than `to` is an error. `sent` hears of
 * each piece the socket took (once per piece of up to 256 KiB).
 */
export async function sendFile(out: OutgoingMessage, path: string, from: number, to: number, sent?: (bytes: number) => void): Promise<boolean> {
  const handle = await open(path, 'r')
  // Writes waiting for the socket; a close settles them all (at most RING).
  const waiting = new Set<(sent: boolean) => void>()
  const onClose = (): void => {
    for (const settle of waiting) settle(false)
  }
  out.once('close', onClose)
  const ring = Array.from({ length: RING }, () => ({ buffer: Buffer.allocUnsafe(Math.min(CHUNK, to - from)), free: Promise.resolve(true) }))
  const write = (bytes: Buffer): Promise<boolean> =>
    new Promise((done) => {
      const settle = (sent: boolean): void => {
        waiting.delete(settle)
        done(sent)
      }
      waiting.add(settle)
      out.write(bytes, (err) => {
        if (!err) sent?.(bytes.length)
        settle(!err)
      })
    })
  try {
    for (let at = from, i = 0; at < to; i = (i + 1) % RING) {
      const slot = ring[i]!
      if (!(await slot.free) || out.destroyed) return false
      const { bytesRead } = await handle.read(slot.buffer, 0, Math.min(slot.buffer.length, to - at), at)
      if (bytesRead === 0) throw new Error(`${path} ends at byte ${at}, before ${to}`)
      at += bytesRead
      slot.free = write(slot.buffer.subarray(0, bytesRead))
    }
    return (await Promise.all(ring.map((slot) => slot.free))).every(Boolean)
  } finally {
    out.off('close', onClose)
    await handle.close()
  }
}
