// An attachment fetched for an export through the transfers' download code
// (Range resume within the run, SHA-256 verified), into the export's own
// work folder: it never shows in the transfers list or the download folder.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Attachment } from '../../../shared/schemas/files'
import type { Session } from '../session'
import { runDownload } from '../transfers/download'
import type { TransferRecord } from '../transfers/records'

export async function fetchAttachment(session: Session, conversationId: string, file: Attachment, workDir: string, signal: AbortSignal, onBytes: (bytes: number) => void): Promise<string> {
  const record: TransferRecord = {
    id: randomUUID(),
    direction: 'download',
    conversationId,
    name: file.name,
    size: file.size,
    type: file.type,
    state: 'running',
    bytes: 0,
    error: null,
    createdAt: new Date().toISOString(),
    fileId: file.id,
    sha256: file.sha256,
    // A folder per file: the saved name is the sender's, never "name (1)".
    directory: join(workDir, 'files', file.id)
  }
  return runDownload(session, record, { signal, progress: onBytes, save: () => Promise.resolve() })
}
