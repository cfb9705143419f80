// Uploads and downloads in main, by id, as its events report them; and the
// actions that send files, download attachments and steer transfers.
import type { MessengerEvents, TransferView } from '../../../shared/ipc'
import type { Attachment } from '../../../shared/schemas/files'
import { api, unwrap, UiError } from '../lib/api'
import { imageInfo, stageBlob } from '../lib/stage'
import type { Slice } from './types'

export interface TransfersSlice {
  transfers: Record<string, TransferView>
  applyTransfers(event: MessengerEvents['transfers']): void
  loadTransfers(): Promise<void>
  /** Files from the page (input, drop, paste): staged through the host, then sent with the text. */
  sendBlobs(conversationId: string, files: File[], text: string): Promise<void>
  /** Electron: files picked in main's dialog. Resolves false when this host has no dialog. */
  pickAndSend(conversationId: string, text: string): Promise<boolean>
  download(conversationId: string, file: Attachment): Promise<void>
  steer(id: string, action: 'pause' | 'resume' | 'cancel' | 'open' | 'showInFolder'): Promise<void>
}

export const createTransfersSlice: Slice<TransfersSlice> = (set) => ({
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
  async sendBlobs(conversationId, files, text) {
    const staged = await Promise.all(
      files.map(async (file) => {
        const [info, stagedFile] = await Promise.all([imageInfo(file), stageBlob(file)])
        return { stagedId: stagedFile.stagedId, ...(info ?? {}) }
      })
    )
    await unwrap(api().files.send({ conversationId, text, files: staged }))
  },
  async pickAndSend(conversationId, text) {
    const picked = await api().files.pick()
    if (!picked.ok) {
      if (picked.error.code === 'unavailable') return false
      throw new UiError(picked.error)
    }
    if (picked.data.length) await unwrap(api().files.send({ conversationId, text, files: picked.data.map((f) => ({ stagedId: f.stagedId })) }))
    return true
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
