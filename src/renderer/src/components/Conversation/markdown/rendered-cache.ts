// The last few hundred messages' rendered elements, by text and chips: the
// virtual list unmounts rows scrolled away and mounts them again on the way
// back, and parsing Markdown costs about a millisecond a message. React
// elements are immutable, so one may be drawn again.
import type { ReactElement } from 'react'

const MAX = 500
const cache = new Map<string, ReactElement>()

export function cachedRender(key: string, render: () => ReactElement): ReactElement {
  const hit = cache.get(key)
  if (hit) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const made = render()
  cache.set(key, made)
  if (cache.size > MAX) cache.delete(cache.keys().next().value!)
  return made
}
