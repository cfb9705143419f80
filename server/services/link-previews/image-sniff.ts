// An image's type and size told by its bytes, not by what the server
// claimed: PNG, JPEG, GIF and WebP only (what the window shows everywhere).
export interface SniffedImage {
  type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
  width: number | null
  height: number | null
}

export function sniffImage(b: Buffer): SniffedImage | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) {
    return { type: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
  }
  if (b.length >= 10 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) {
    return { type: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) }
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { type: 'image/jpeg', ...jpegSize(b) }
  if (b.length >= 16 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return { type: 'image/webp', ...webpSize(b) }
  return null
}

type Size = { width: number | null; height: number | null }
const UNKNOWN: Size = { width: null, height: null }

/** Walks the segments to the first start-of-frame marker, which holds the size. */
function jpegSize(b: Buffer): Size {
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return UNKNOWN
    const marker = b[i + 1]!
    if (marker === 0xff) {
      i++
      continue
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) }
    i += 2 + b.readUInt16BE(i + 2)
  }
  return UNKNOWN
}

function webpSize(b: Buffer): Size {
  const chunk = b.toString('latin1', 12, 16)
  if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) }
  if (chunk === 'VP8 ' && b.length >= 30) return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff }
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b.readUInt32LE(21)
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) }
  }
  return UNKNOWN
}
