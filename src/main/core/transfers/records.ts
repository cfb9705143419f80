// What main keeps of each transfer (transfers.json, per account), so both
// directions resume after an app restart.
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { ErrorBody } from '../../../shared/errors'
import type { TransferState } from '../../../shared/ipc'
import { DurableJsonFile } from '../../../node/json-file'

export interface TransferRecord {
  id: string
  direction: 'upload' | 'download'
  conversationId: string
  name: string
  size: number
  type: string
  state: TransferState
  /** Bytes known to be moved, as of the last save. */
  bytes: number
  error: ErrorBody | null
  createdAt: string
  /** Uploads: the local file, our own copy when `staged`, and the server's upload id once created. */
  source?: string
  staged?: boolean
  uploadId?: string
  clientId?: string
  /** Images: their size and a small preview, given to the server with the upload. */
  width?: number
  height?: number
  thumbnail?: string
  /** Downloads: the server's file, its digest, the folder and the name it was saved under. */
  fileId?: string
  sha256?: string
  directory?: string
  savedPath?: string
}

interface Data {
  transfers: TransferRecord[]
}

export class TransferRecords {
  private constructor(private readonly db: Low<Data>) {}

  static async open(dir: string): Promise<TransferRecords> {
    const db = new Low<Data>(new DurableJsonFile(join(dir, 'transfers.json')), { transfers: [] })
    await db.read()
    return new TransferRecords(db)
  }

  all(): TransferRecord[] {
    return this.db.data.transfers
  }

  get(id: string): TransferRecord | undefined {
    return this.db.data.transfers.find((t) => t.id === id)
  }

  async put(record: TransferRecord): Promise<void> {
    const list = this.db.data.transfers
    const i = list.findIndex((t) => t.id === record.id)
    if (i === -1) list.push(record)
    else list[i] = record
    await this.db.write()
  }
}
