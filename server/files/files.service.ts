// Uploads that become files, and who may read them: the members of the
// conversation a file was sent to, for as long as they are members.
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import { LIMITS } from '../../src/shared/limits'
import type { Attachment, CreateUploadBody, Upload } from '../../src/shared/schemas/files'
import { AppError, forbidden, notFound } from '../errors'
import type { ConversationService } from '../services/conversations.service'
import type { FileRecord, FileStore } from './file-store'
import { PartWriter } from './part-writer'
import { hashFile } from '../../src/node/hash-prefix'
import { writePart } from './write-part'

export interface FileLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number
  /** Bytes one user's files and unfinished uploads may take together. */
  quotaBytes: number
  /** An unfinished upload that received no byte for this long is deleted (tus's expiration). */
  unfinishedTtlMs: number
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxFileBytes: LIMITS.fileBytesDefault, quotaBytes: 20 * 1024 ** 3, unfinishedTtlMs: 24 * 3600_000 }

export class FileService {
  /** Uploads a request is writing right now (one writer per upload), with their bytes on disk so far. */
  private readonly writing = new Map<string, () => number>()
  private readonly writer = new PartWriter()

  constructor(
    private readonly store: FileStore,
    private readonly conversations: ConversationService,
    readonly limits: FileLimits,
    private readonly now: () => number,
    /** The admins' per-file limit (server settings), applied under the operator's hard cap in `limits`. */
    private readonly adminMaxFileBytes: () => Promise<number> = () => Promise.resolve(Infinity)
  ) {}

  /** Refused at once when too big: no byte has to be sent to learn it. */
  async create(userId: string, body: CreateUploadBody): Promise<Upload> {
    await this.conversations.requireMember(body.conversationId, userId)
    await this.checkSize(body.size)
    // Expired uploads stop counting now, not at the next sweep.
    await this.sweep()
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
   * refusal costs no bytes: the offset must be the server's, the length must fit.
   * On success the upload is this request's to write: call `append` next.
   */
  async checkAppend(userId: string, id: string, offset: number, length: number | undefined): Promise<FileRecord> {
    const record = await this.ownUpload(userId, id)
    if (record.complete) throw new AppError('conflict', 'this upload is complete; nothing more can be sent')
    const have = this.store.offset(record)
    if (offset !== have) {
      throw new AppError('conflict', `Upload-Offset is ${offset} but the server has ${have} bytes; send from ${have}`)
    }
    if (length !== undefined && length > record.size - have) {
      throw new AppError('payload_too_large', `${length} bytes sent but only ${record.size - have} remain of the declared size ${record.size}`)
    }
    if (this.writing.has(id)) throw new AppError('conflict', 'another request is sending bytes of this upload; wait for it or resume later')
    // Taken in the same turn as the check, so a second request for this upload is refused.
    this.writing.set(id, () => offset)
    return record
  }

  /** Appends a body after `checkAppend`; when the last byte arrives the upload becomes a file (if its checksum matches). */
  async append(record: FileRecord, offset: number, source: Readable): Promise<Upload> {
    this.writing.set(record.id, () => offset)
    try {
      const outcome = await writePart(this.store.partPath(record.id), offset, source, record.size - offset, this.writer, (written) => this.writing.set(record.id, written))
      this.store.setOffset(record.id, outcome.offset, this.now())
      if (outcome.overflow) {
        throw new AppError('payload_too_large', `more bytes were sent than the declared size ${record.size}; the server kept ${outcome.offset}`)
      }
      if (outcome.offset === record.size) return await this.finish(record, outcome.digest)
      if (outcome.failed) throw new AppError('unavailable', `the server could not store these bytes (${outcome.failed}); it has ${outcome.offset}: resume from there later`)
      if (outcome.cut) throw new AppError('validation_failed', `the body was cut short; the server has ${outcome.offset} bytes: resume from there`)
      return this.view(record)
    } finally {
      this.writing.delete(record.id)
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
    if (this.writing.has(id)) throw new AppError('conflict', 'bytes of this upload are being sent; stop sending first')
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

  path(record: FileRecord): string {
    return this.store.filePath(record.id)
  }

  /** Deletes unfinished uploads idle longer than the limit (none being written); returns how many. */
  async sweep(): Promise<number> {
    let removed = 0
    const before = this.now() - this.limits.unfinishedTtlMs
    for (const id of this.store.idleSince(before)) {
      // Checked at each step: bytes may have come for it while an earlier one was being removed.
      if (this.writing.has(id) || !this.store.isIdle(id, before)) continue
      await this.store.remove(id)
      removed++
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

  private async checkSize(size: number): Promise<void> {
    const max = Math.min(this.limits.maxFileBytes, await this.adminMaxFileBytes())
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

  /** Verifies the bytes against the declared digest; a mismatch discards them. */
  private async finish(record: FileRecord, computed: string | null = null): Promise<Upload> {
    const digest = computed ?? (await hashFile(this.store.partPath(record.id)))
    if (record.sha256 && record.sha256 !== digest) {
      await this.store.remove(record.id)
      throw new AppError('checksum_mismatch', `the bytes received have SHA-256 ${digest}, not the declared ${record.sha256}; the upload was discarded: start again`)
    }
    return this.view(await this.store.complete(record, digest))
  }

  private view(record: FileRecord): Upload {
    return {
      id: record.id,
      conversationId: record.conversationId,
      name: record.name,
      size: record.size,
      type: record.type,
      offset: this.writing.get(record.id)?.() ?? this.store.offset(record),
      complete: record.complete,
      ...(record.sha256 ? { sha256: record.sha256 } : {}),
      createdAt: record.createdAt,
      ...(record.complete ? {} : { expiresAt: this.expiry(record.id) })
    }
  }

  /** The sweeper's deadline for an unfinished upload; one being written does not expire meanwhile. */
  private expiry(id: string): string {
    const last = this.writing.has(id) ? this.now() : (this.store.touchedAt(id) ?? this.now())
    return new Date(last + this.limits.unfinishedTtlMs).toISOString()
  }
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
