// Which frames may call IPC: our own page, in the app window's top frame.
// No runtime `electron` import, so it is unit-tested in plain Node.
import type { WebFrameMain } from 'electron'
import { APP_HOST, APP_SCHEME } from './app-protocol'

type FrameLike = Pick<WebFrameMain, 'url'> & { parent: unknown }

/** Our page: app://messenger/index.html or, in development, the dev server's origin; top frame only. */
export function appFrameCheck(devUrl: string | undefined): (frame: FrameLike | null) => boolean {
  const devOrigin = devUrl ? new URL(devUrl).origin : null
  return (frame) => {
    if (!frame || frame.parent) return false
    const url = parseUrl(frame.url)
    if (!url) return false
    if (devOrigin) return url.origin === devOrigin
    return isAppPage(url)
  }
}

/** The packaged UI's page (any #fragment or ?query). */
export function isAppPage(url: URL): boolean {
  return isAppOrigin(url) && url.pathname === '/index.html'
}

/** app://messenger: the origin that serves only the built renderer. */
export function isAppOrigin(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST
}

export function parseUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}
