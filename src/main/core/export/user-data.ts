// An admin's export of one user's data: the server makes the zip
// (GET /admin/users/{id}/export, streamed); this writes it to the part file.
import { createWriteStream } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebStream } from 'node:stream/web'
import type { ExportView } from '../../../shared/ipc'
import type { Session } from '../session'

export async function downloadUserData(session: Session, userId: string, partPath: string, signal: AbortSignal, report: (change: Partial<ExportView>) => void): Promise<void> {
  const response = await session.http.stream('GET', `/admin/users/${userId}/export`, { token: await session.accessToken(), signal })
  let bytes = 0
  // The zip is made while it is sent: its size is not known, so progress is the bytes so far.
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      report({ bytes })
      done(null, chunk)
    }
  })
  await pipeline(Readable.fromWeb(response.body as WebStream<Uint8Array>), count, createWriteStream(partPath, { mode: 0o600 }), { signal })
}
