// The UI is served from app://messenger/ (a privileged standard scheme), not
// file://: a page gets one origin of its own, CSP 'self' means exactly the
// app's files, and no other file on disk is reachable (checklist item 18).
// No runtime `electron` import: the APIs are passed in, so this is unit-tested.
import { isAbsolute, join, normalize, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CustomScheme, Net, Protocol } from 'electron'

export const APP_SCHEME = 'app'
export const APP_HOST = 'messenger'
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Registered before `ready`: standard (a real origin) and secure (like https), nothing more. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true }
}

/** The file under `root` an app:// URL names, or null for any other host, a path outside root, or a bad URL. */
export function appFilePath(requestUrl: string, root: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const file = normalize(join(root, path === '/' ? 'index.html' : path))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null
  return file
}

/** Serves app://messenger/* from the built renderer; anything else answers 404. */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, net: Pick<Net, 'fetch'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = appFilePath(request.url, root)
    if (!file) return new Response('not found', { status: 404 })
    return net.fetch(pathToFileURL(file).href)
  })
}
