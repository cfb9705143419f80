// Only these schemes become links; anything else (javascript:, data:,
// file:, relative paths) is shown as text. Electron's window-open handler
// hands the same three to the OS (src/main/electron/external-links.ts).
const LINKABLE = new Set(['http:', 'https:', 'mailto:'])

/** The URL when it may be a link, else '' (react-markdown's urlTransform). */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return LINKABLE.has(parsed.protocol) ? parsed.href : ''
  } catch {
    return ''
  }
}
