// shell.openExternal only ever sees a URL we parsed and rebuilt, and only
// http(s) and mailto (checklist item 15): never file:, smb:, javascript: or a
// custom scheme another program registered.
const ALLOWED = new Set(['http:', 'https:', 'mailto:'])

/** The URL to hand to the OS, or null when it must not leave the app. */
export function safeExternalUrl(text: string): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (!ALLOWED.has(url.protocol)) return null
  if (url.protocol !== 'mailto:' && (!url.hostname || url.username || url.password)) return null
  return url.href
}

/** Opens a link in the user's browser or mail program when it is safe; returns whether it did. */
export function openExternalSafely(openExternal: (url: string) => Promise<void>, text: string, onError: (err: unknown) => void): boolean {
  const url = safeExternalUrl(text)
  if (!url) return false
  openExternal(url).catch(onError)
  return true
}
