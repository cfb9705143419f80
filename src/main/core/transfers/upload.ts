// One upload: create it on the server once, then send the rest from the
// offset the server says it has, after any cut or restart.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { Upload, UploadResponse } from '../../../shared/schemas/files'
import { ClientError } from '../errors'
import type { Session } from '../session'
import { fromServer } from '../server-data'
import { hashPrefix } from '../../../node/hash-prefix'
import { hashingMeter } from './hashing'
import type { TransferRecord } from './records'

export interface RunHooks {
  signal: AbortSignal
  /** Bytes the other side has so far. */
  progress: (bytes: number) => void
  /** The record changed in a way worth keeping (the server's upload id). */
  save: (record: TransferRecord) => Promise<void>
}

/** Resolves with the completed upload; throws a ClientError (or the abort) otherwise. */
export async function runUpload(session: Session, record: TransferRecord, hooks: RunHooks): Promise<Upload> {
  try {
    return await sendFromServerOffset(session, record, hooks)
  } catch (err) {
    // The server deletes an upload left unfinished past its expiry (24 h by
    // default), e.g. while this laptop was shut: start it again, once,
    // rather than fail the message.
    if (!(err instanceof ClientError && err.code === 'not_found' && record.uploadId)) throw err
    delete record.uploadId
    record.bytes = 0
    await hooks.save(record)
    return sendFromServerOffset(session, record, hooks)
  }
}

async function sendFromServerOffset(session: Session, record: TransferRecord, hooks: RunHooks): Promise<Upload> {
  if (!record.uploadId) {
    const created = fromServer(
      UploadResponse,
      await session.request('POST', '/files', {
        body: {
          conversationId: record.conversationId,
          name: record.name,
          size: record.size,
          type: record.type,
          ...(record.width ? { width: record.width } : {}),
          ...(record.height ? { height: record.height } : {}),
          ...(record.thumbnail ? { thumbnail: record.thumbnail } : {})
        }
      }),
      'upload'
    ).upload
    record.uploadId = created.id
    await hooks.save(record)
    if (created.complete) return created
  }
  const path = `/uploads/${record.uploadId}`
  const state = fromServer(UploadResponse, await session.request('GET', path), 'upload').upload
  if (state.complete) return state
  hooks.progress(state.offset)
  // Our own digest of what we send, checked against the server's at the end.
  const hash = await hashPrefix(record.source!, state.offset)
  const meter = hashingMeter(hash, state.offset, hooks.progress)
  const file = createReadStream(record.source!, { start: state.offset, highWaterMark: 1 << 20 })
  const body = Readable.toWeb(file.pipe(meter)) as ReadableStream<Uint8Array>
  const response = await session.http
    .stream('PATCH', path, {
      token: await session.accessToken(),
      headers: {
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(state.offset),
        'content-length': String(record.size - state.offset)
      },
      body,
      signal: hooks.signal
    })
    .catch((err: unknown) => {
      // 409: another request still holds this upload (the connection before a cut,
      // or a server node that stopped mid-way and whose claim has not lapsed yet),
      // or the offset moved meanwhile. Both pass: the next try asks the offset again.
      if (err instanceof ClientError && err.code === 'conflict') {
        throw new ClientError('unavailable', `the server is still finishing an earlier attempt at this upload; it resumes shortly (${err.message})`)
      }
      throw err
    })
  const done = Upload.parse(((await response.json()) as { upload: unknown }).upload)
  if (!done.complete) throw new ClientError('unavailable', `the server has ${done.offset} of ${record.size} bytes; the rest is sent on the next try`)
  if (done.sha256 !== hash.digest('hex')) {
    // No message carries it yet, so it can go: it must not stay on the server or count against the quota.
    await session.request('DELETE', path)
    throw new ClientError('checksum_mismatch', 'the server received other bytes than this file holds (was it changed while sending?); it was deleted from the server: send it again')
  }
  return done
}
