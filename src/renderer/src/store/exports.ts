// History exports running in main, by id, as its events report them; and
// an export opened read-only. The actions start, cancel and open them.
import type { ExportReadView, ExportView, MessengerEvents } from '../../../shared/ipc'
import { api, unwrap } from '../lib/api'
import { stageBlob } from '../lib/stage'
import type { Slice } from './types'

export interface ExportRequest {
  conversationId?: string
  format: 'html' | 'zip'
  attachments: boolean
}

export interface ExportsSlice {
  exports: Record<string, ExportView>
  /** The export open in the read-only viewer. */
  openedExport: ExportReadView | null
  applyExports(event: MessengerEvents['exports']): void
  /** Resolves null when the user cancelled the save dialog. */
  startExport(request: ExportRequest): Promise<ExportView | null>
  /** Server admins: one user's data, as the server exports it. */
  startUserExport(userId: string, username: string): Promise<ExportView | null>
  cancelExport(id: string): Promise<void>
  showExportInFolder(id: string): Promise<void>
  /** Opens an export read-only: the browser hands over the file the page picked, Electron asks in a dialog. */
  openExport(file?: File): Promise<void>
  closeExport(): Promise<void>
  /** An image of the opened export, as a data: URL. */
  exportImage(path: string): Promise<string>
}

export const createExportsSlice: Slice<ExportsSlice> = (set, get) => ({
  exports: {},
  openedExport: null,
  applyExports(event) {
    set((s) => {
      const next = { ...s.exports }
      for (const view of event.upserted) next[view.id] = view
      return { exports: next }
    })
  },
  async startExport(request) {
    const view = await unwrap(api().exports.start(request))
    if (view) set((s) => ({ exports: { ...s.exports, [view.id]: s.exports[view.id] ?? view } }))
    return view
  },
  async startUserExport(userId, username) {
    const view = await unwrap(api().exports.userData({ userId, username }))
    if (view) set((s) => ({ exports: { ...s.exports, [view.id]: s.exports[view.id] ?? view } }))
    return view
  },
  async cancelExport(id) {
    const view = await unwrap(api().exports.cancel({ id }))
    set((s) => ({ exports: { ...s.exports, [id]: s.exports[id]?.state === 'running' ? view : (s.exports[id] ?? view) } }))
  },
  async showExportInFolder(id) {
    await unwrap(api().exports.showInFolder({ id }))
  },
  async openExport(file) {
    const stagedId = file ? (await stageBlob(file)).stagedId : undefined
    const opened = await unwrap(api().exports.open(stagedId ? { stagedId } : {}))
    if (!opened) return
    await get().closeExport()
    set({ openedExport: opened })
    get().openDialog({ kind: 'export-viewer' })
  },
  async closeExport() {
    const opened = get().openedExport
    if (!opened) return
    set({ openedExport: null })
    await unwrap(api().exports.close({ viewId: opened.viewId }))
  },
  async exportImage(path) {
    const opened = get().openedExport
    if (!opened) return ''
    return (await unwrap(api().exports.image({ viewId: opened.viewId, path }))).dataUrl
  }
})
