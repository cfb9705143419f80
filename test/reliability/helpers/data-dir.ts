// Checks that a server's data directory is whole: every JSON file parses,
// every line of the append-only logs parses, the signing key is there. On the
// postgres engine the records and the key are in the database, so there is no
// db.json or jwt.key to find; what files there are must still parse.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { testEngine } from '../../helpers/engines'

/** Lists the problems found (empty when the directory is valid). */
export async function dataDirProblems(dir: string): Promise<string[]> {
  const problems: string[] = []
  const files = await walk(dir)
  if (testEngine() === 'data-dir' && !files.some((f) => f.endsWith('/db.json'))) problems.push('db.json is missing')
  // On PostgreSQL the signing key is in the database, with the records.
  if (testEngine() === 'data-dir' && !files.some((f) => f.endsWith('/jwt.key'))) problems.push('jwt.key is missing')
  for (const file of files) {
    const name = file.slice(dir.length + 1)
    if (file.endsWith('.json')) {
      try {
        JSON.parse(await readFile(file, 'utf8'))
      } catch (err) {
        problems.push(`${name} does not parse: ${(err as Error).message}`)
      }
    } else if (file.endsWith('.jsonl') || file.endsWith('/changes.log')) {
      const text = await readFile(file, 'utf8')
      if (text !== '' && !text.endsWith('\n')) problems.push(`${name} ends with a cut line`)
      text
        .split('\n')
        .slice(0, -1)
        .forEach((line, i) => {
          try {
            JSON.parse(line)
          } catch {
            problems.push(`${name} line ${i + 1} does not parse`)
          }
        })
    } else if (file.endsWith('/clientids.log')) {
      // A projection written without fsync: a cut last line is allowed (it is rebuilt), nothing else.
      const lines = (await readFile(file, 'utf8')).split('\n').slice(0, -1)
      lines.forEach((line, i) => {
        if (!/^\d+\t\S+$/.test(line)) problems.push(`${name} line ${i + 1} is malformed`)
      })
    } else if (file.endsWith('/system.seqs')) {
      // Appended with fsync before the segments: a cut last line is allowed (its batch never became durable), nothing else.
      const [header = '', ...lines] = (await readFile(file, 'utf8')).split('\n').slice(0, -1)
      if (!/^from \d+$/.test(header)) problems.push(`${name} has no 'from' header`)
      lines.forEach((line, i) => {
        if (!/^\d+$/.test(line)) problems.push(`${name} line ${i + 2} is malformed`)
      })
    }
  }
  return problems
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path)))
    else out.push(path)
  }
  return out
}
