// The dedupe index of one conversation: which (sender, clientId) got which
// seq. It is a projection of the segments, appended without fsync; on load
// any gap behind the segments is rebuilt from them, so it never needs to be
// durable itself and costs no extra fsync per message.
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { writeFileAtomic } from '../fsync'
import { readSegment, segmentOf } from './segments'

export function clientKey(senderId: string, clientId: string): string {
  return `${senderId}/${clientId}`
}

export class ClientIndex {
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    private readonly path: string,
    readonly seqByKey: Map<string, number>
  ) {}

  static async load(dir: string, durableSeq: number): Promise<ClientIndex> {
    const path = join(dir, 'clientids.log')
    const map = new Map<string, number>()
    let text = ''
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    let indexed = 0
    let clean = true
    const lines = text.split('\n')
    // The file is appended without fsync: a last line without its newline may be cut short.
    if (lines.pop() !== '') clean = false
    for (const line of lines) {
      const [seqText, key] = line.split('\t')
      const seq = Number(seqText)
      if (key === undefined || seq !== indexed + 1 || seq > durableSeq) {
        clean = false
        break
      }
      map.set(key, seq)
      indexed = seq
    }
    const index = new ClientIndex(path, map)
    const missing: Message[] = []
    for (let segment = segmentOf(indexed + 1); indexed < durableSeq; segment++) {
      const { messages } = await readSegment(dir, segment)
      for (const m of messages) if (m.seq > indexed) missing.push(m)
      if (messages.length === 0) break
      indexed = Math.max(indexed, messages[messages.length - 1]?.seq ?? indexed)
    }
    for (const m of missing) map.set(clientKey(m.senderId, m.clientId), m.seq)
    if (!clean) await writeFileAtomic(path, index.encodeAll())
    else if (missing.length > 0) await appendFile(path, encode(missing))
    return index
  }

  /**
   * Records durable messages. The file append is chained (never interleaved)
   * and not awaited by acks: a lost line is rebuilt from the segments on load.
   */
  add(messages: Message[]): void {
    for (const m of messages) this.seqByKey.set(clientKey(m.senderId, m.clientId), m.seq)
    const text = encode(messages)
    this.writing = this.writing.then(() => appendFile(this.path, text)).catch(() => undefined)
  }

  settled(): Promise<void> {
    return this.writing
  }

  private encodeAll(): string {
    const rows = [...this.seqByKey].sort((a, b) => a[1] - b[1])
    return rows.map(([key, seq]) => `${seq}\t${key}\n`).join('')
  }
}

function encode(messages: Message[]): string {
  let out = ''
  for (const m of messages) out += `${m.seq}\t${clientKey(m.senderId, m.clientId)}\n`
  return out
}
