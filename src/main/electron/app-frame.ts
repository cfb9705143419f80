// Which frames may call IPC: our own page, in the app window's top frame.
// No runtime `electron` import, so it is unit-tested in plain Node.
import { pathToFileURL } from 'node:url'
import type { WebFrameMain } from 'electron'

type FrameLike = Pick<WebFrameMain, 'url'> & { parent: unknown }

/** Our page: the packaged index.html (file://) or, in development, the dev server's origin; top frame only. */
export function appFrameCheck(devUrl: string | undefined, rendererIndex: string): (frame: FrameLike | null) => boolean {
  const devOrigin = devUrl ? new URL(devUrl).origin : null
  const indexUrl = pathToFileURL(rendererIndex).href
  return (frame) => {
    if (!frame || frame.parent) return false
    let url: URL
    try {
      url = new URL(frame.url)
    } catch {
      return false
    }
    if (devOrigin) return url.origin === devOrigin
    return url.protocol === 'file:' && `file://${url.host}${url.pathname}` === indexUrl
  }
}
