// Uploads and downloads in main, by id, as its events report them; and the
// actions that send files, download attachments and steer transfers.
import type { MessengerEvents, TransferView } from '../../../shared/ipc'
import type { Attachment } from '../../../shared/schemas/files'
import { api, unwrap } from '../lib/api'
import { filePreviewActions, type FilePreviewSlice } from './file-preview'
import type { Slice } from './types'

export interface TransfersSlice extends FilePreviewSlice {
  transfers: Record<string, TransferView>
  applyTransfers(event: MessengerEvents['transfers']): void
  loadTransfers(): Promise<void>
  download(conversationId: string, file: Attachment): Promise<void>
  steer(id: string, action: 'pause' | 'resume' | 'cancel' | 'open' | 'showInFolder'): Promise<void>
}

export const createTransfersSlice: Slice<TransfersSlice> = (set, get) => ({
  ...filePreviewActions(set, get),
  transfers: {},
  applyTransfers(event) {
    set((s) => {
      const next = { ...s.transfers }
      for (const t of event.upserted) next[t.id] = t
      for (const id of event.removed) delete next[id]
      return { transfers: next }
    })
  },
  async loadTransfers() {
    const list = await unwrap(api().transfers.list())
    set({ transfers: Object.fromEntries(list.map((t) => [t.id, t])) })
  },
  async download(conversationId, file) {
    const view = await unwrap(api().files.download({ conversationId, fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 }))
    set((s) => ({ transfers: { ...s.transfers, [view.id]: view } }))
  },
  async steer(id, action) {
    const result = await unwrap(api().transfers[action]({ id }))
    if (result) set((s) => ({ transfers: { ...s.transfers, [result.id]: result } }))
  }
})
