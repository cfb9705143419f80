// What the link-preview fetcher reads from bytes it got: an image's type and
// size from its own header (never the server's Content-Type), and a page's
// meta tags.
import { describe, expect, it } from 'vitest'
import { sniffImage } from '../../../server/services/link-previews/image-sniff'
import { META_LIMITS, pageMeta } from '../../../server/services/link-previews/page-meta'

const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(8)])
// SOI, an APP0 segment of 16 bytes, then SOF0: precision 8, height 480, width 640.
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(14), 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, ...Buffer.alloc(12)])
// RIFF….WEBPVP8X with a canvas of 800×600 (stored minus one, 24-bit little-endian).
const webp = Buffer.concat([
  Buffer.from('RIFF', 'latin1'),
  Buffer.alloc(4),
  Buffer.from('WEBPVP8X', 'latin1'),
  Buffer.alloc(8),
  Buffer.from([0x1f, 0x03, 0x00, 0x57, 0x02, 0x00])
])

describe('image bytes', () => {
  it('tells GIF, JPEG and WebP with their sizes', () => {
    expect(sniffImage(gif)).toEqual({ type: 'image/gif', width: 320, height: 240 })
    expect(sniffImage(jpeg)).toEqual({ type: 'image/jpeg', width: 640, height: 480 })
    expect(sniffImage(webp)).toEqual({ type: 'image/webp', width: 800, height: 600 })
  })

  it('refuses what is not one of the four, whatever it claims to be', () => {
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImage(Buffer.from('BM6\u0000\u0000\u0000', 'latin1'))).toBeNull()
    expect(sniffImage(Buffer.alloc(0))).toBeNull()
  })
})

describe('page meta tags', () => {
  it('prefers Open Graph, then Twitter, then <title> and description; resolves the image against the page', () => {
    const html = `<title>T</title><meta name="twitter:title" content="Tw"><meta name="description" content="D"><meta name="twitter:image" content="//cdn.test/i.png">`
    expect(pageMeta(html, 'https://site.test/a/b')).toEqual({ title: 'Tw', description: 'D', siteName: null, image: 'https://cdn.test/i.png' })
  })

  it('cuts long values with an ellipsis and drops an image that is not http(s)', () => {
    const meta = pageMeta(`<meta property="og:title" content="${'x'.repeat(500)}"><meta property="og:image" content="javascript:alert(1)">`, 'https://site.test/')
    expect([...meta!.title]).toHaveLength(META_LIMITS.title)
    expect(meta!.title.endsWith('…')).toBe(true)
    expect(meta!.image).toBeNull()
  })

  it('gives nothing for a page with neither title nor description', () => {
    expect(pageMeta('<html><body><p>just text</p></body></html>', 'https://site.test/')).toBeNull()
  })
})
