// Reads single entries of a zip on disk through its central directory
// (yauzl), so opening an export of gigabytes reads only the JSON and the
// images shown. yauzl checks offsets, sizes and CRCs and refuses names that
// would escape a folder; entries are read by name, never extracted.
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { ClientError } from '../errors'

const notAZip = (why: string): ClientError => new ClientError('validation_failed', `this file is not an export this app can open (${why})`)

export class ZipReader {
  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>
  ) {}

  static async open(path: string): Promise<ZipReader> {
    const zip = await new Promise<ZipFile>((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (err, opened) => (err ? reject(notAZip('not a zip file, or a damaged one')) : resolve(opened)))
    })
    try {
      return new ZipReader(zip, await listEntries(zip))
    } catch (err) {
      zip.close()
      throw err
    }
  }

  /** The entry's bytes, or null when there is none; refuses entries larger than `max`. */
  async read(name: string, max: number): Promise<Buffer | null> {
    const entry = this.entries.get(name)
    if (!entry) return null
    if (entry.uncompressedSize > max || entry.compressedSize > max) throw new ClientError('payload_too_large', `${name} in this export is too large to open here`)
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      this.zip.openReadStream(entry, (err, opened) => (err ? reject(notAZip(err.message)) : resolve(opened)))
    })
    const chunks: Buffer[] = []
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer)
    } catch (err) {
      throw notAZip(err instanceof Error ? err.message : 'a damaged entry')
    }
    return Buffer.concat(chunks)
  }

  close(): Promise<void> {
    this.zip.close()
    return Promise.resolve()
  }
}

function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>()
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry)
      zip.readEntry()
    })
    zip.once('end', () => resolve(entries))
    zip.once('error', (err: Error) => reject(notAZip(err.message)))
    zip.readEntry()
  })
}
