// Files chosen, dropped or pasted wait in a preview (FilePreviewDialog) with
// a caption until the user sends them; nothing leaves the window before. Page
// files (input, drop, paste) are staged through the host at Send; Electron's
// own file dialog hands back files main already holds (staged, not uploaded).
import type { StagedFile } from '../../../shared/ipc'
import { api, unwrap, UiError } from '../lib/api'
import { imageInfo, stageBlob, type ImageInfo } from '../lib/stage'
import type { AppState } from './types'

export interface PreviewFile {
  key: string
  name: string
  size: number
  type: string
  /** An image's size and small JPEG (page files only: Electron's picked files have no bytes here). */
  image: ImageInfo | null
  source: { blob: File } | { staged: StagedFile }
}

export interface FilePreview {
  conversationId: string
  files: PreviewFile[]
}

export interface FilePreviewSlice {
  filePreview: FilePreview | null
  /** Opens the preview with these page files (more files join an open preview of the same conversation). */
  previewFiles(conversationId: string, files: File[]): Promise<void>
  /** Electron: files picked in main's dialog, into the preview. Resolves false when this host has no dialog. */
  pickFiles(conversationId: string): Promise<boolean>
  removePreviewFile(key: string): void
  closeFilePreview(): void
  /** Sends the previewed files with the caption as one message, then closes the preview. */
  sendFilePreview(caption: string): Promise<void>
}

type Set = (partial: Partial<AppState> | ((s: AppState) => Partial<AppState>)) => void
let nextKey = 0

export function filePreviewActions(set: Set, get: () => AppState): FilePreviewSlice {
  const open = (conversationId: string, files: PreviewFile[]): void => {
    if (!files.length) return
    set((s) => ({
      filePreview: s.filePreview?.conversationId === conversationId ? { conversationId, files: [...s.filePreview.files, ...files] } : { conversationId, files }
    }))
  }
  return {
    filePreview: null,
    async previewFiles(conversationId, files) {
      const items = await Promise.all(
        files.map(async (file): Promise<PreviewFile> => {
          const name = file.name || 'pasted image.png'
          return { key: `f${++nextKey}`, name, size: file.size, type: file.type, image: await imageInfo(file), source: { blob: file } }
        })
      )
      open(conversationId, items)
    },
    async pickFiles(conversationId) {
      const picked = await api().files.pick()
      if (!picked.ok) {
        if (picked.error.code === 'unavailable') return false
        throw new UiError(picked.error)
      }
      open(
        conversationId,
        picked.data.map((f) => ({ key: `f${++nextKey}`, name: f.name, size: f.size, type: f.type, image: null, source: { staged: f } }))
      )
      return true
    },
    removePreviewFile(key) {
      set((s) => (s.filePreview ? { filePreview: { ...s.filePreview, files: s.filePreview.files.filter((f) => f.key !== key) } } : {}))
    },
    closeFilePreview() {
      set({ filePreview: null })
    },
    async sendFilePreview(caption) {
      const preview = get().filePreview
      if (!preview?.files.length) return
      const files = await Promise.all(
        preview.files.map(async (f) => {
          const staged = 'staged' in f.source ? f.source.staged : await stageBlob(f.source.blob)
          return { stagedId: staged.stagedId, ...(f.image ?? {}) }
        })
      )
      await unwrap(api().files.send({ conversationId: preview.conversationId, text: caption, files }))
      set((s) => (s.filePreview === preview ? { filePreview: null } : {}))
    }
  }
}
