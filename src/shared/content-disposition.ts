// Content-Disposition for a download (RFC 6266 with RFC 5987's filename*):
// an ASCII fallback any client can show, and the exact UTF-8 name.
import { withoutHiddenCharacters } from './schemas/hidden-characters'

/**
 * `attachment` or `inline`, with the name made safe for a header whatever it holds.
 * Invisible and direction-changing characters are dropped: new names cannot hold
 * them, but a name stored before that rule must not reach a disk as "exe.pdf".
 */
export function contentDisposition(kind: 'attachment' | 'inline', stored: string): string {
  const name = withoutHiddenCharacters(stored).replace(/\p{Cs}/gu, '\uFFFD').trim() || 'download'
  const fallback =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\/%;]/g, '_')
      .trim() || 'download'
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
