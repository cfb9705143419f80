import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import type { HandlersFor } from './index'

export function exportHandlers(core: ClientCore): HandlersFor<'exports'> {
  const host = core.options.files ?? {}
  return {
    'exports.start': (request) => core.exports.start(core.ctx(), request),
    'exports.list': () => Promise.resolve(core.exports.list()),
    // The username only names the file; the server checks that the caller is an admin.
    'exports.userData': ({ userId, username }) => core.exports.startUserData(core.ctx().session, userId, username),
    'exports.cancel': ({ id }) => Promise.resolve(core.exports.cancel(id)),
    'exports.showInFolder': ({ id }) => {
      if (!host.showInFolder) return Promise.reject(new ClientError('unavailable', 'showing files in their folder is not available in this window'))
      host.showInFolder(core.exports.finishedPath(id))
      return Promise.resolve(null)
    },
    'exports.open': async ({ stagedId }) => {
      if (stagedId) {
        // The browser host: the page sent the zip's bytes to be staged; this view owns that copy now.
        const staged = core.ctx().transfers.staging.take(stagedId)
        return core.exportViews.open(staged.path, staged.copied)
      }
      if (!host.pickExport) throw new ClientError('validation_failed', 'choose the export file to open')
      const path = await host.pickExport()
      return path ? core.exportViews.open(path, false) : null
    },
    'exports.image': ({ viewId, path }) => core.exportViews.image(viewId, path),
    'exports.close': async ({ viewId }) => {
      await core.exportViews.close(viewId)
      return null
    }
  }
}
