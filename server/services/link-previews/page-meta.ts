// A page's title, description, site name and image address, from its
// Open Graph and Twitter meta tags or else its <title> and description,
// read with htmlparser2 (which decodes entities as it goes).
import { Parser } from 'htmlparser2'

export interface PageMeta {
  title: string
  description: string
  siteName: string | null
  /** Absolute http(s) address of the image, resolved against the page. */
  image: string | null
}

/** Lengths a card shows and a little more; longer values are cut with an ellipsis. */
export const META_LIMITS = { title: 200, description: 500, siteName: 100 } as const

const KEYS = ['og:title', 'twitter:title', 'og:description', 'twitter:description', 'description', 'og:site_name', 'og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'] as const

export function pageMeta(html: string, pageUrl: string): PageMeta | null {
  const found = new Map<string, string>()
  let title = ''
  let inTitle = false
  let titleDone = false
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title' && !titleDone) inTitle = true
        if (name !== 'meta') return
        const key = (attrs.property ?? attrs.name ?? '').trim().toLowerCase()
        const content = attrs.content
        if (content !== undefined && (KEYS as readonly string[]).includes(key) && !found.has(key)) found.set(key, content)
      },
      ontext(text) {
        if (inTitle) title += text
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false
          titleDone = true
        }
      }
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }
  )
  parser.write(html)
  parser.end()
  const pick = (...keys: string[]): string => keys.map((k) => clean(found.get(k) ?? '')).find((v) => v !== '') ?? ''
  const heading = cut(pick('og:title', 'twitter:title') || clean(title), META_LIMITS.title)
  const description = cut(pick('og:description', 'twitter:description', 'description'), META_LIMITS.description)
  if (heading === '' && description === '') return null
  const site = cut(pick('og:site_name'), META_LIMITS.siteName)
  return { title: heading, description, siteName: site === '' ? null : site, image: absolute(pick('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'), pageUrl) }
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim()

function cut(s: string, max: number): string {
  const chars = [...s]
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : s
}

function absolute(ref: string, base: string): string | null {
  if (ref === '') return null
  try {
    const url = new URL(ref, base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}
