// JSON exports opened read-only ("Open export…"): the manifest and each
// conversation's messages.json, checked with the format's zod schemas (a
// foreign or damaged zip is a clear error, never a crash), and images read
// from the zip one at a time when the window shows them.
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { z } from 'zod'
import type { ExportReadView } from '../../../shared/ipc'
import { EXPORT_FORMAT, EXPORT_VERSION, ExportConversation, ExportManifest, MANIFEST_PATH } from '../../../shared/schemas/export'
import { PREVIEW_TYPES } from '../../../shared/schemas/files'
import { ClientError } from '../errors'
import { ZipReader } from './zip-reader'

const MANIFEST_MAX = 4 * 1024 * 1024
/** One conversation's messages.json, and all of them together: what the window is sent at once. */
const CONVERSATION_MAX = 64 * 1024 * 1024
const TOTAL_MAX = 256 * 1024 * 1024
/** Largest image shown (it crosses IPC as a data: URL), as files.preview. */
const IMAGE_MAX = 32 * 1024 * 1024

interface View {
  reader: ZipReader
  /** Image paths inside the zip, with their type: only these are read for the window. */
  images: Map<string, string>
  /** Our staged copy (browser host), deleted when the view closes. */
  ownCopy: string | null
}

const Versioned = z.object({ format: z.string(), version: z.number() })

const notAnExport = (why: string): ClientError => new ClientError('validation_failed', `this file is not an export this app can open (${why})`)

function parseJson<T>(bytes: Buffer | null, schema: z.ZodType<T>, what: string): T {
  if (!bytes) throw notAnExport(`${what} is missing`)
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw notAnExport(`${what} is not JSON`)
  }
  const versioned = Versioned.safeParse(value)
  if (versioned.success && versioned.data.format === EXPORT_FORMAT && versioned.data.version > EXPORT_VERSION) {
    throw new ClientError('validation_failed', `this export was made by a newer version of the app (format ${versioned.data.version}; this app reads ${EXPORT_VERSION})`)
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw notAnExport(`${what} is not in the export format`)
  return parsed.data
}

export class ExportViews {
  private readonly views = new Map<string, View>()

  async open(path: string, ownCopy: boolean): Promise<ExportReadView> {
    let reader: ZipReader | null = null
    try {
      reader = await ZipReader.open(path)
      const manifest = parseJson(await reader.read(MANIFEST_PATH, MANIFEST_MAX), ExportManifest, MANIFEST_PATH)
      const conversations: ExportConversation[] = []
      let total = 0
      for (const listed of manifest.conversations) {
        const bytes = await reader.read(listed.path, CONVERSATION_MAX)
        total += bytes?.length ?? 0
        if (total > TOTAL_MAX) throw new ClientError('payload_too_large', 'this export is too large to open here; open a smaller one (one conversation)')
        conversations.push(parseJson(bytes, ExportConversation, listed.path))
      }
      const images = new Map<string, string>()
      for (const c of conversations) {
        for (const m of c.messages) for (const a of m.attachments ?? []) if (a.path && (PREVIEW_TYPES as readonly string[]).includes(a.type)) images.set(a.path, a.type)
      }
      const viewId = randomUUID()
      this.views.set(viewId, { reader, images, ownCopy: ownCopy ? path : null })
      return { viewId, manifest, conversations }
    } catch (err) {
      await reader?.close()
      if (ownCopy) await rm(path, { force: true })
      throw err
    }
  }

  async image(viewId: string, path: string): Promise<{ dataUrl: string }> {
    const view = this.get(viewId)
    const type = view.images.get(path)
    if (!type) throw new ClientError('not_found', 'no such image in this export')
    const bytes = await view.reader.read(path, IMAGE_MAX)
    if (!bytes) throw new ClientError('not_found', 'the image is listed but not in the zip')
    return { dataUrl: `data:${type};base64,${bytes.toString('base64')}` }
  }

  async close(viewId: string): Promise<void> {
    const view = this.views.get(viewId)
    if (!view) return
    this.views.delete(viewId)
    await view.reader.close()
    if (view.ownCopy) await rm(view.ownCopy, { force: true })
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.views.keys()]) await this.close(id)
  }

  private get(viewId: string): View {
    const view = this.views.get(viewId)
    if (!view) throw new ClientError('not_found', 'that export is no longer open')
    return view
  }
}
