import { Readable } from 'node:stream'
import { PREVIEW_TYPES } from '../../../shared/schemas/files'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import type { HandlersFor } from './index'

/** Largest image shown in the full view (it crosses IPC as a data: URL). */
const PREVIEW_MAX = 32 * 1024 * 1024

const unavailable = (what: string): ClientError => new ClientError('unavailable', `${what} is not available in this window; use the browser's own file picker`)

export function fileHandlers(core: ClientCore): HandlersFor<'files'> & HandlersFor<'transfers'> {
  const host = core.options.files ?? {}
  return {
    'files.pick': async () => {
      if (!host.pickFiles) throw unavailable('a file dialog')
      const transfers = core.ctx().transfers
      const paths = await host.pickFiles()
      return Promise.all(paths.map((p) => transfers.staging.stagePath(p)))
    },
    'files.stagePaths': ({ paths }) => {
      if (!host.pagePaths) throw unavailable('staging files by path')
      const transfers = core.ctx().transfers
      return Promise.all(paths.map((p) => transfers.staging.stagePath(p)))
    },
    'files.stageBytes': ({ name, type, bytes }) =>
      core.ctx().transfers.staging.stageStream(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), name, type || undefined),
    'files.send': async (request) => {
      const ctx = core.ctx()
      if (!ctx.cache.conversation(request.conversationId)) throw new ClientError('not_found', 'no such conversation in this account')
      return ctx.transfers.sendFiles(request)
    },
    'files.download': (file) => core.ctx().transfers.download(file),
    'files.preview': async ({ fileId }) => {
      const response = await core.ctx().session.http.stream('GET', `/files/${fileId}/preview`, {
        token: await core.ctx().session.accessToken(),
        signal: AbortSignal.timeout(60_000)
      })
      const type = response.headers.get('content-type') ?? ''
      if (!(PREVIEW_TYPES as readonly string[]).includes(type)) throw new ClientError('conflict', 'that file is not an image that can be shown')
      if (Number(response.headers.get('content-length') ?? 0) > PREVIEW_MAX) {
        await response.body?.cancel()
        throw new ClientError('payload_too_large', 'that image is too large to show here; download it instead')
      }
      const bytes = Buffer.from(await response.arrayBuffer())
      return { dataUrl: `data:${type};base64,${bytes.toString('base64')}` }
    },
    'files.downloadDir': () => Promise.resolve({ directory: core.downloadDir.get() }),
    'files.chooseDownloadDir': async () => {
      if (!host.chooseDirectory) throw unavailable('a folder dialog')
      const directory = await host.chooseDirectory()
      if (directory) await core.downloadDir.set(directory)
      return { directory: core.downloadDir.get() }
    },
    'transfers.list': () => Promise.resolve(core.ctx().transfers.list()),
    'transfers.pause': ({ id }) => core.ctx().transfers.pause(id),
    'transfers.resume': ({ id }) => core.ctx().transfers.resume(id),
    'transfers.cancel': ({ id }) => core.ctx().transfers.cancel(id),
    'transfers.open': async ({ id }) => {
      if (!host.openPath) throw unavailable('opening files')
      await host.openPath(core.ctx().transfers.savedPath(id))
      return null
    },
    'transfers.showInFolder': ({ id }) => {
      if (!host.showInFolder) return Promise.reject(unavailable('showing files in their folder'))
      host.showInFolder(core.ctx().transfers.savedPath(id))
      return Promise.resolve(null)
    }
  }
}
