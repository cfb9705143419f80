// Reads single entries of a zip on disk through its central directory, so
// opening an export of gigabytes reads only the JSON and the images shown.
// fflate only unzips whole buffers or streams front to back (and its stream
// reader must guess where entries with data descriptors end); no random-
// access zip reader is among the project's dependencies, and the format's
// part used here is small (APPNOTE 4.3.12-4.3.16). No ZIP64: the writer
// never makes one. Every offset and size is checked against the file.
import { open, type FileHandle } from 'node:fs/promises'
import { inflateRawSync } from 'node:zlib'
import { ClientError } from '../errors'

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const EOCD_MIN = 22
const COMMENT_MAX = 0xffff

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
}

const notAZip = (why: string): ClientError => new ClientError('validation_failed', `this file is not an export this app can open (${why})`)

export class ZipReader {
  private constructor(
    private readonly handle: FileHandle,
    private readonly fileSize: number,
    readonly entries: Map<string, ZipEntry>
  ) {}

  static async open(path: string): Promise<ZipReader> {
    const handle = await open(path, 'r')
    try {
      const size = (await handle.stat()).size
      const entries = await readDirectory(handle, size)
      return new ZipReader(handle, size, entries)
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  /** The entry's bytes, or null when there is none; refuses entries larger than `max`. */
  async read(name: string, max: number): Promise<Buffer | null> {
    const entry = this.entries.get(name)
    if (!entry) return null
    if (entry.size > max || entry.compressedSize > max) throw new ClientError('payload_too_large', `${name} in this export is too large to open here`)
    const header = await readAt(this.handle, entry.localOffset, 30)
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw notAZip('a damaged entry')
    const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
    if (start + entry.compressedSize > this.fileSize) throw notAZip('an entry runs past the end')
    const data = await readAt(this.handle, start, entry.compressedSize)
    let bytes: Buffer
    if (entry.method === 0) bytes = data
    else if (entry.method === 8) {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) })
      } catch {
        throw notAZip('a damaged entry')
      }
    } else throw notAZip(`compression method ${entry.method}`)
    if (bytes.length !== entry.size) throw notAZip('an entry of the wrong size')
    return bytes
  }

  close(): Promise<void> {
    return this.handle.close()
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

async function readDirectory(handle: FileHandle, size: number): Promise<Map<string, ZipEntry>> {
  if (size < EOCD_MIN) throw notAZip('too short')
  const tailLength = Math.min(size, EOCD_MIN + COMMENT_MAX)
  const tail = await readAt(handle, size - tailLength, tailLength)
  let at = -1
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i
      break
    }
  }
  if (at < 0) throw notAZip('no zip directory')
  const count = tail.readUInt16LE(at + 10)
  const dirSize = tail.readUInt32LE(at + 12)
  const dirOffset = tail.readUInt32LE(at + 16)
  if (dirOffset + dirSize > size) throw notAZip('a damaged zip directory')
  const dir = await readAt(handle, dirOffset, dirSize)
  const entries = new Map<string, ZipEntry>()
  let p = 0
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw notAZip('a damaged zip directory')
    const nameLength = dir.readUInt16LE(p + 28)
    const next = p + 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32)
    if (next > dir.length) throw notAZip('a damaged zip directory')
    const name = dir.subarray(p + 46, p + 46 + nameLength).toString('utf8')
    entries.set(name, {
      name,
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42)
    })
    p = next
  }
  return entries
}
