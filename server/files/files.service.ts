// Uploads that become files, and who may read them: the members of the
// conversation a file was sent to, for as long as they are members.
import { createHash, randomUUID } from 'node:crypto'
import { truncate } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { LIMITS } from '../../src/shared/limits'
import type { Attachment, CreateUploadBody, Upload } from '../../src/shared/schemas/files'
import type { UploadChecksum } from '../../src/shared/schemas/tus'
import { AppError, forbidden, notFound } from '../errors'
import type { ConversationService } from '../services/conversations.service'
import type { Store, UploadProgress } from '../store/types'
import type { FileRecord, FileStore } from './file-store'
import { PartWriter } from './part-writer'
import { hashFile } from '../../src/node/hash-prefix'
import { LeaseKeeper } from './upload-lease'
import { writePart } from './write-part'
import { openGate, type SendGate } from '../services/send-limits'

export interface FileLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number
  /** Bytes one user's files and unfinished uploads may take together. */
  quotaBytes: number
  /** An unfinished upload that received no byte for this long is deleted (tus's expiration). */
  unfinishedTtlMs: number
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxFileBytes: LIMITS.fileBytesDefault, quotaBytes: 20 * 1024 ** 3, unfinishedTtlMs: 24 * 3600_000 }

/**
 * How long a writer's lease on an upload lasts unless renewed. A node that
 * dies lets go at once (its database session ends); one frozen or cut off
 * from the database holds an upload at most this long.
 */
export const UPLOAD_LEASE_MS = 30_000

/** An upload this process is writing now. */
interface Writing {
  lease: string
  /** Bytes in the part file so far (ahead of the recorded offset while the write runs). */
  written: () => number
}

export class FileService {
  /** Uploads a request of this process is writing (other nodes' writers hold leases too, seen in the store). */
  private readonly writing = new Map<string, Writing>()
  private readonly writer = new PartWriter()
  /** Told how many bytes each upload request stored: the metrics count them. */
  onStored: ((bytes: number) => void) | null = null

  constructor(
    private readonly store: FileStore,
    private readonly conversations: ConversationService,
    readonly limits: FileLimits,
    private readonly now: () => number,
    /** Runs a job once per organisation (Store.exclusive). */
    private readonly exclusive: Store['exclusive'],
    /** The admins' per-file limit (server settings), applied under the operator's hard cap in `limits`. */
    private readonly adminMaxFileBytes: () => Promise<number> = () => Promise.resolve(Infinity),
    /** The uploader's budget of new uploads (a folder dropped at once passes; a script creating thousands does not). */
    private readonly charge: SendGate = openGate
  ) {}

  /** Refused at once when too big: no byte has to be sent to learn it. */
  async create(userId: string, body: CreateUploadBody): Promise<Upload> {
    await this.conversations.requireMember(body.conversationId, userId)
    await this.charge('uploads', userId)
    await this.checkSize(body.size)
    // This user's expired uploads stop counting now, not at the next sweep.
    await this.removeIdle(userId)
    const used = await this.store.usage(userId)
    if (used + body.size > this.limits.quotaBytes) {
      throw new AppError(
        'quota_exceeded',
        `body.size: your files would take ${used + body.size} bytes on this server, more than your quota of ${this.limits.quotaBytes}; delete unfinished uploads or ask the admin`
      )
    }
    const record: FileRecord = {
      id: randomUUID(),
      conversationId: body.conversationId,
      uploaderId: userId,
      name: body.name,
      size: body.size,
      type: body.type ?? 'application/octet-stream',
      ...(body.sha256 ? { sha256: body.sha256 } : {}),
      ...(body.width ? { width: body.width } : {}),
      ...(body.height ? { height: body.height } : {}),
      ...(body.thumbnail ? { thumbnail: body.thumbnail } : {}),
      createdAt: new Date(this.now()).toISOString(),
      complete: false
    }
    await this.store.create(record, this.now())
    // A zero-byte file is complete as soon as it exists.
    return record.size === 0 ? this.finish(record) : this.view(record)
  }

  async status(userId: string, id: string): Promise<Upload> {
    return this.view(await this.ownUpload(userId, id))
  }

  /**
   * Checks everything a request's headers tell before its body is read, so a
   * refusal costs no bytes: no other request may be writing the upload (on
   * any node), the offset must be the server's, the length must fit. On
   * success the upload is this request's to write (it holds the lease):
   * call `append` next.
   */
  async checkAppend(userId: string, id: string, offset: number, length: number | undefined): Promise<FileRecord> {
    const record = await this.ownUpload(userId, id)
    if (record.complete) throw new AppError('conflict', 'this upload is complete; nothing more can be sent')
    // What the headers alone refuse is refused before the lease is taken, in the
    // order one server always checked (offset, then length): a bad request
    // never makes a good one beside it look busy. (While another request
    // writes, the recorded offset lags it; either answer is a 409.)
    const state = await this.store.upload(id)
    if (state && offset !== state.offset) throw wrongOffset(offset, state.offset)
    if (length !== undefined && length > record.size - offset) {
      throw new AppError('payload_too_large', `${length} bytes sent but only ${record.size - offset} remain of the declared size ${record.size}`)
    }
    const lease = randomUUID()
    const claimed = await this.store.claim(id, lease, UPLOAD_LEASE_MS)
    if (claimed === 'busy') throw new AppError('conflict', 'another request is sending bytes of this upload; wait for it or resume later')
    // Completed or cancelled since it was read.
    if (claimed === undefined) throw new AppError('conflict', 'this upload is complete or gone; ask for it again')
    // Moved since it was read (another request wrote meanwhile).
    if (offset !== claimed.offset) {
      await this.store.release(id, lease)
      throw wrongOffset(offset, claimed.offset)
    }
    this.writing.set(id, { lease, written: () => offset })
    return record
  }

  /**
   * Appends a body after `checkAppend`; when the last byte arrives the upload
   * becomes a file (if its checksum matches). With `checksum` (tus's
   * Upload-Checksum), the body counts only whole and matching: otherwise no
   * byte of it is kept, and a mismatch is `chunk_checksum_mismatch`.
   */
  async append(record: FileRecord, offset: number, source: Readable, checksum?: UploadChecksum): Promise<Upload> {
    const writing = this.writing.get(record.id)
    if (!writing) throw new Error(`append to upload ${record.id} without its lease (call checkAppend first)`)
    const { lease } = writing
    const chunkHash = checksum ? createHash(checksum.algorithm) : null
    const keeper = new LeaseKeeper(
      // With a checksum, no byte of this body is anyone's offset before it is verified.
      (progress) => this.store.renew(record.id, lease, UPLOAD_LEASE_MS, chunkHash ? { ...progress, offset } : progress),
      (err) => source.destroy(err),
      offset,
      UPLOAD_LEASE_MS,
      this.now
    )
    // What is durable when the write is over, for whichever node continues.
    let settled: UploadProgress = { offset, touchedAt: this.now() }
    try {
      let outcome = await writePart(
        this.store.partPath(record.id),
        offset,
        source,
        record.size - offset,
        this.writer,
        (progress) => {
          if (!chunkHash) writing.written = progress.written
          keeper.watch(progress)
        },
        chunkHash ? (chunk) => chunkHash.update(chunk) : undefined
      )
      settled = { offset: outcome.offset, touchedAt: this.now() }
      this.onStored?.(outcome.offset - offset)
      await keeper.stop()
      if (keeper.lost) throw keeper.lost
      if (chunkHash && checksum) {
        const whole = !outcome.overflow && !outcome.cut && !outcome.failed
        if (!whole || !chunkHash.digest().equals(Buffer.from(checksum.digest, 'base64'))) {
          // Not appended: the part ends where it did (the next write would cut it there anyway).
          await truncate(this.store.partPath(record.id), offset).catch(() => undefined)
          settled = { offset, touchedAt: this.now() }
          outcome = { ...outcome, offset, digest: null }
          if (whole) {
            throw new AppError('chunk_checksum_mismatch', `header Upload-Checksum: these bytes have another ${checksum.algorithm} digest; they were not kept: send them again from ${offset}`)
          }
        }
      }
      if (outcome.overflow) {
        throw new AppError('payload_too_large', `more bytes were sent than the declared size ${record.size}; the server kept ${outcome.offset}`)
      }
      if (outcome.offset === record.size) return await this.finish(record, outcome.digest, lease)
      if (outcome.failed) throw new AppError('unavailable', `the server could not store these bytes (${outcome.failed}); it has ${outcome.offset}: resume from there later`)
      if (outcome.cut) throw new AppError('validation_failed', `the body was cut short; the server has ${outcome.offset} bytes: resume from there`)
      return await this.view(record, settled)
    } finally {
      await keeper.stop()
      this.writing.delete(record.id)
      // Recorded with the lease's end; nothing once complete, removed or taken over.
      await this.store.release(record.id, lease, settled)
    }
  }

  /** Stops the writer thread (uploads are over: the HTTP server has closed). */
  close(): Promise<void> {
    return this.writer.close()
  }

  /**
   * Deletes an unfinished upload, or a complete file no message carries yet
   * (its sender's client found the server's digest is not its own).
   */
  async cancel(userId: string, id: string): Promise<void> {
    const record = await this.ownUpload(userId, id)
    if (record.complete && record.attached !== false) throw new AppError('conflict', 'this upload is already a file sent in a message; it cannot be cancelled')
    if (this.writing.has(id) || (await this.store.upload(id))?.writing) throw new AppError('conflict', 'bytes of this upload are being sent; stop sending first')
    await this.store.remove(id)
  }

  /** A complete file a member of its conversation may read. */
  async readable(userId: string, id: string): Promise<FileRecord> {
    const record = await this.store.get(id)
    if (!record) throw notFound('file')
    // Members only, checked on every read: someone removed loses access at once.
    await this.conversations.requireMember(record.conversationId, userId)
    if (!record.complete) throw notFound('file (the upload is not complete yet)')
    return record
  }

  path(record: Pick<FileRecord, 'id'>): string {
    return this.store.filePath(record.id)
  }

  /**
   * Deletes unfinished uploads idle longer than the limit (none being
   * written), every node's: on one node at a time, skipped while another
   * sweeps. Returns how many.
   */
  async sweep(): Promise<number> {
    let removed = 0
    await this.exclusive('upload-sweep', async (lost) => {
      removed = await this.removeIdle(undefined, lost)
    })
    return removed
  }

  /** Deletes the unfinished uploads (only `userId`'s, if given) idle longer than the limit; returns how many. */
  private async removeIdle(userId?: string, lost?: AbortSignal): Promise<number> {
    let removed = 0
    const before = this.now() - this.limits.unfinishedTtlMs
    for (const id of await this.store.idle(before, userId)) {
      if (lost?.aborted) break
      // Each delete checks again that no byte came and nobody writes it (bytes may have come since the list was read).
      if (!this.writing.has(id) && (await this.store.removeIdle(id, before))) removed++
    }
    return removed
  }

  /** The attachments of a new message: the sender's own complete files in that conversation, which from now on stay. */
  async attachments(userId: string, conversationId: string, ids: string[]): Promise<Attachment[]> {
    const unique = [...new Set(ids)]
    const records = await Promise.all(unique.map((id) => this.store.get(id)))
    const attachments = unique.map((id, i) => {
      const record = records[i]
      const where = `body.attachments.${i}`
      if (!record || record.uploaderId !== userId) throw new AppError('validation_failed', `${where}: you have no upload ${id}`)
      if (record.conversationId !== conversationId) throw new AppError('validation_failed', `${where}: that file was uploaded to another conversation`)
      if (!record.complete) throw new AppError('validation_failed', `${where}: that upload is not complete yet`)
      return attachmentOf(record)
    })
    await this.store.attach(attachments.map((a) => a.id))
    return attachments
  }

  /**
   * Issue 20: the files of a forwarded message, again for `conversationId`
   * under new ids sharing the same bytes (FileStore.share). The new ids come
   * from the send's clientId, so a retried send finds the same files rather
   * than making orphans. The forwarder becomes their uploader (the files
   * count against their quota, as theirs to send).
   */
  async forwardCopies(userId: string, conversationId: string, clientId: string, sources: Attachment[]): Promise<Attachment[]> {
    const copies: Attachment[] = []
    for (const attachment of sources) {
      const source = await this.store.get(attachment.id)
      if (!source?.complete) throw new AppError('conflict', `body.forward: the file "${attachment.name}" of that message is no longer on the server`)
      const copy: FileRecord = {
        ...source,
        id: derivedId(`forward:${userId}:${conversationId}:${clientId}:${source.id}`),
        conversationId,
        uploaderId: userId,
        createdAt: new Date(this.now()).toISOString(),
        attached: true
      }
      try {
        await this.store.share(source, copy)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('conflict', `body.forward: the file "${attachment.name}" of that message is no longer on the server`)
        throw err
      }
      copies.push({ ...attachment, id: copy.id })
    }
    return copies
  }

  /** The largest file accepted now: the operator's cap or the admins' setting, the smaller. */
  async maxSize(): Promise<number> {
    return Math.min(this.limits.maxFileBytes, await this.adminMaxFileBytes())
  }

  private async checkSize(size: number): Promise<void> {
    const max = await this.maxSize()
    if (size > max) {
      throw new AppError('payload_too_large', `body.size: ${size} bytes is more than this server's limit of ${max} bytes per file`)
    }
  }

  private async ownUpload(userId: string, id: string): Promise<FileRecord> {
    const record = await this.store.get(id)
    if (!record) throw notFound('upload')
    if (record.uploaderId !== userId) throw forbidden('only the sender of an upload can see or continue it')
    return record
  }

  /**
   * Verifies the bytes against the declared digest; a mismatch discards them.
   * With `lease`, the lease is renewed first: a writer that lost it (to a
   * request through another node) never completes the upload under the other.
   */
  private async finish(record: FileRecord, computed: string | null = null, lease?: string): Promise<Upload> {
    const digest = computed ?? (await hashFile(this.store.partPath(record.id)))
    if (record.sha256 && record.sha256 !== digest) {
      await this.store.remove(record.id)
      throw new AppError('checksum_mismatch', `the bytes received have SHA-256 ${digest}, not the declared ${record.sha256}; the upload was discarded: start again`)
    }
    if (lease && !(await this.store.renew(record.id, lease, UPLOAD_LEASE_MS, { offset: record.size, touchedAt: this.now() }))) {
      throw new AppError('conflict', 'another request took this upload over; ask the offset')
    }
    return this.view(await this.store.complete(record, digest))
  }

  /**
   * What a client is told of an upload. While this process writes it, the
   * offset is what its part file holds so far; elsewhere it is the recorded
   * offset, up to a third of a lease behind (see LeaseKeeper). `settled`:
   * the progress a write just ended with, when known.
   */
  private async view(record: FileRecord, settled?: UploadProgress): Promise<Upload> {
    const local = this.writing.get(record.id)
    const state = record.complete || local || settled ? undefined : await this.store.upload(record.id)
    // The sweeper's deadline; an upload being written does not expire meanwhile.
    const last = settled?.touchedAt ?? (local || state?.writing ? this.now() : (state?.touchedAt ?? this.now()))
    return {
      id: record.id,
      conversationId: record.conversationId,
      name: record.name,
      size: record.size,
      type: record.type,
      offset: record.complete ? record.size : (settled?.offset ?? local?.written() ?? state?.offset ?? 0),
      complete: record.complete,
      ...(record.sha256 ? { sha256: record.sha256 } : {}),
      createdAt: record.createdAt,
      ...(record.complete ? {} : { expiresAt: new Date(last + this.limits.unfinishedTtlMs).toISOString() })
    }
  }
}

/** A UUID (version 8, RFC 9562's custom kind) derived from `name`: the same name, the same id. */
export function derivedId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('')
  hex[12] = '8'
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function wrongOffset(offset: number, have: number): AppError {
  return new AppError('conflict', `Upload-Offset is ${offset} but the server has ${have} bytes; send from ${have}`)
}

export function attachmentOf(record: FileRecord): Attachment {
  return {
    id: record.id,
    name: record.name,
    size: record.size,
    type: record.type,
    sha256: record.sha256 ?? '',
    ...(record.width ? { width: record.width } : {}),
    ...(record.height ? { height: record.height } : {}),
    ...(record.thumbnail ? { thumbnail: record.thumbnail } : {})
  }
}
