// A link's preview as the server fetches it: the page (HTML only, its first
// 512 KiB), then its image (PNG, JPEG, GIF or WebP by their bytes, up to
// 2 MiB), each under the same checks (safe-fetch.ts). The image is optional:
// a page whose image fails still gives its title and description.
import type { AddressPolicy } from './address-policy'
import { sniffImage, type SniffedImage } from './image-sniff'
import { pageMeta } from './page-meta'
import { FetchRefused, safeFetch, type FetchLimits, type Resolver } from './safe-fetch'

export const PREVIEW_BYTES = { html: 512 * 1024, image: 2 * 1024 * 1024 } as const

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

export interface FetchedPreview {
  title: string
  description: string
  siteName: string | null
  image: (SniffedImage & { bytes: Buffer }) | null
}

export interface PreviewFetchOptions {
  policy: AddressPolicy
  resolve?: Resolver
  limits?: FetchLimits
  signal?: AbortSignal
}

/** Null when the link gives no preview (refused, not HTML, nothing to show); the reason goes to `why`. */
export async function fetchPreview(url: string, options: PreviewFetchOptions, why: (reason: string) => void = () => undefined): Promise<FetchedPreview | null> {
  try {
    const page = await safeFetch(url, { ...options, maxBytes: PREVIEW_BYTES.html, accept: 'text/html,application/xhtml+xml' })
    if (!HTML_TYPES.has(page.type)) throw new FetchRefused(`${page.type || 'no media type'} is not a page`)
    const meta = pageMeta(page.body.toString('utf8'), page.url)
    if (!meta) throw new FetchRefused('the page has no title or description')
    const image = meta.image ? await fetchImage(meta.image, options, why) : null
    return { title: meta.title, description: meta.description, siteName: meta.siteName, image }
  } catch (err) {
    if (!(err instanceof FetchRefused)) throw err
    why(err.message)
    return null
  }
}

async function fetchImage(url: string, options: PreviewFetchOptions, why: (reason: string) => void): Promise<FetchedPreview['image']> {
  try {
    const got = await safeFetch(url, { ...options, maxBytes: PREVIEW_BYTES.image, accept: 'image/png,image/jpeg,image/gif,image/webp' })
    if (got.truncated) throw new FetchRefused(`the image is larger than ${PREVIEW_BYTES.image} bytes`)
    const sniffed = sniffImage(got.body)
    if (!sniffed) throw new FetchRefused('the image is not PNG, JPEG, GIF or WebP')
    return { ...sniffed, bytes: got.body }
  } catch (err) {
    if (!(err instanceof FetchRefused)) throw err
    why(`image: ${err.message}`)
    return null
  }
}
