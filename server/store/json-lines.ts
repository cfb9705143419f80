/**
 * Parses newline-terminated JSON values from the start of a buffer, stopping
 * at the first line that is cut, corrupt or refused by `accept`. Append-only
 * files are read this way: what follows the first bad line was never
 * acknowledged, so `validBytes` is where the file should be cut.
 */
export function readJsonLines<T>(buf: Buffer, accept: (value: T, index: number) => boolean): { items: T[]; validBytes: number } {
  const items: T[] = []
  let offset = 0
  while (offset < buf.length) {
    const end = buf.indexOf(0x0a, offset)
    if (end === -1) break
    let value: T
    try {
      value = JSON.parse(buf.toString('utf8', offset, end)) as T
    } catch {
      break
    }
    if (!accept(value, items.length)) break
    items.push(value)
    offset = end + 1
  }
  return { items, validBytes: offset }
}
