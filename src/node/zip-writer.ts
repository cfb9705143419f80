// A zip written as a stream (fflate) into any Writable: a file, an HTTP
// response. Entries go one at a time and each chunk waits for the sink to
// drain, so a file of gigabytes passes through a few buffers, never held in
// memory. fflate writes no ZIP64: past 4 GiB or 65,535 entries the writer
// stops with a clear error rather than a zip no tool can open.
import { createReadStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate'

const ZIP32_MAX = 0xffff_ffff
const ENTRIES_MAX = 0xffff

export class ZipTooLarge extends Error {}

export class ZipWriter {
  private readonly zip: Zip
  private failure: Error | null = null
  private written = 0
  private entries = 0
  private finished: Promise<void> | null = null
  private done!: () => void

  constructor(
    private readonly sink: Writable,
    private readonly signal?: AbortSignal
  ) {
    const ended = new Promise<void>((resolve) => (this.done = resolve))
    // A sink that fails (disk full, a closed response) fails the next step, never the process.
    sink.on('error', (err) => (this.failure ??= err))
    this.zip = new Zip((err, chunk, final) => {
      if (err) return void (this.failure ??= err)
      this.written += chunk.length
      sink.write(chunk)
      if (final) this.done()
    })
    this.finished = ended
  }

  /** Bytes of zip produced so far. */
  get bytes(): number {
    return this.written
  }

  /** A small entry (JSON, HTML), compressed. */
  async addText(name: string, text: string): Promise<void> {
    const entry = this.begin(name, new ZipDeflate(name, { level: 6 }))
    entry.push(strToU8(text), true)
    await this.drained()
  }

  /** A file's bytes, stored as they are (attachments are mostly compressed already). */
  async addFile(name: string, path: string, onBytes?: (n: number) => void): Promise<void> {
    const entry = this.begin(name, new ZipPassThrough(name))
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024, signal: this.signal }) as AsyncIterable<Buffer>) {
      entry.push(chunk, false)
      onBytes?.(chunk.length)
      await this.drained()
    }
    entry.push(new Uint8Array(0), true)
    await this.drained()
  }

  /** Writes the central directory; the sink is left open for the caller to end. */
  async finish(): Promise<void> {
    this.zip.end()
    await this.finished
    await this.drained()
  }

  private begin<T extends ZipDeflate | ZipPassThrough>(name: string, entry: T): T {
    this.check()
    if (++this.entries > ENTRIES_MAX) throw new ZipTooLarge(`an export holds at most ${ENTRIES_MAX} files`)
    entry.mtime = new Date()
    this.zip.add(entry)
    return entry
  }

  private async drained(): Promise<void> {
    this.check()
    if (this.sink.writableNeedDrain) await once(this.sink, 'drain', { signal: this.signal })
    this.check()
  }

  private check(): void {
    this.signal?.throwIfAborted()
    if (this.failure) throw this.failure
    if (this.written > ZIP32_MAX) throw new ZipTooLarge('an export zip can be at most 4 GiB; export fewer conversations or leave out the attachments')
  }
}
