// Puts a finished download under its name without ever replacing a file:
// "report.pdf", then "report (1).pdf", "report (2).pdf"…
import { link, unlink } from 'node:fs/promises'
import { extname, join } from 'node:path'

export function candidateName(name: string, n: number): string {
  if (n === 0) return name
  // A leading dot is a hidden file's name, not an extension.
  const ext = name.startsWith('.') && extname(name.slice(1)) === '' ? '' : extname(name)
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`
}

/** Links the part under the first free name (link fails rather than overwrite), then drops the part's name. */
export async function saveWithoutOverwrite(part: string, directory: string, name: string): Promise<string> {
  for (let n = 0; ; n++) {
    const target = join(directory, candidateName(name, n))
    try {
      await link(part, target)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw err
    }
    await unlink(part)
    return target
  }
}
