// Content-Disposition for a download, written by the `content-disposition`
// package (Express's): RFC 6266 quoting, and RFC 8187's filename* for the exact
// name when it is not plain ASCII. Plain JS, no Node or DOM: fine in src/shared.
import { create } from 'content-disposition'
import { withoutHiddenCharacters } from './schemas/hidden-characters'

/**
 * `attachment` or `inline`, with the name made safe for a header whatever it holds.
 * Invisible and direction-changing characters are dropped: new names cannot hold
 * them, but a name stored before that rule must not reach a disk as "exe.pdf".
 */
export function contentDisposition(kind: 'attachment' | 'inline', stored: string): string {
  // Lone surrogates cannot be percent-encoded (encodeURIComponent throws).
  const name = withoutHiddenCharacters(stored).replace(/\p{Cs}/gu, '\uFFFD').trim() || 'download'
  // The ASCII name for clients without filename*: "Résumé" reads "Resume", not the package's "R?sum?".
  // Some clients percent-decode a plain filename or take slashes for folders: those
  // become "_" there, and the exact name then goes in filename* (sent whenever the two differ).
  const fallback =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/[\\/%]/g, '_')
      .trim() || 'download'
  return create(name, { type: kind, fallback })
}
