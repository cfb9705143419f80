// One download: into a part file beside its destination, continued with
// Range after any cut or restart, verified against the file's SHA-256, then
// saved under a name that replaces nothing.
import { createWriteStream } from 'node:fs'
import { mkdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebStream } from 'node:stream/web'
import { ClientError } from '../errors'
import type { Session } from '../session'
import { hashPrefix } from '../../../node/hash-prefix'
import { hashingMeter } from './hashing'
import type { TransferRecord } from './records'
import { saveWithoutOverwrite } from './save-as'
import type { RunHooks } from './upload'

export function partPath(record: TransferRecord): string {
  return join(record.directory!, `.${record.id}.part`)
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
}

/** Resolves with the path the file was saved under. */
export async function runDownload(session: Session, record: TransferRecord, hooks: RunHooks): Promise<string> {
  await mkdir(record.directory!, { recursive: true })
  const part = partPath(record)
  let have = await sizeOf(part)
  if (have > record.size) {
    await unlink(part)
    have = 0
  }
  const hash = await hashPrefix(part, have)
  hooks.progress(have)
  if (have < record.size) {
    const response = await session.http.stream('GET', `/files/${record.fileId}`, {
      token: await session.accessToken(),
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      signal: hooks.signal
    })
    // A server that ignores Range sends the whole file: start the part again.
    if (have > 0 && response.status !== 206) {
      await response.body?.cancel()
      await unlink(part)
      return runDownload(session, record, hooks)
    }
    const meter = hashingMeter(hash, have, hooks.progress)
    const sink = createWriteStream(part, { flags: have > 0 ? 'a' : 'w', highWaterMark: 1 << 20 })
    await pipeline(Readable.fromWeb(response.body as WebStream<Uint8Array>), meter, sink)
    if (meter.bytes !== record.size) throw new ClientError('unavailable', `the download stopped at ${meter.bytes} of ${record.size} bytes; it goes on from there`)
  }
  if (hash.digest('hex') !== record.sha256) {
    await unlink(part).catch(() => undefined)
    throw new ClientError('checksum_mismatch', 'the downloaded bytes do not match the file’s SHA-256; the copy was deleted: download it again')
  }
  return saveWithoutOverwrite(part, record.directory!, record.name)
}
