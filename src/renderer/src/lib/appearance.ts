// The theme and text size as the page shows them: attributes on <html> that
// theme.css reads, and a copy in localStorage that public/appearance.js
// applies before the first paint (the client core's file is the truth, but
// reading it takes a round trip).
import { Appearance, DEFAULT_APPEARANCE } from '../../../shared/schemas/appearance'

/** Also read by public/appearance.js. */
const CACHE_KEY = 'messenger.appearance'

export function applyAppearance(appearance: Appearance): void {
  const root = document.documentElement
  root.dataset['theme'] = appearance.theme
  root.dataset['textSize'] = appearance.textSize
}

export function cachedAppearance(): Appearance {
  try {
    if (typeof localStorage === 'undefined') return DEFAULT_APPEARANCE
    const parsed = Appearance.safeParse(JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null'))
    return parsed.success ? parsed.data : DEFAULT_APPEARANCE
  } catch {
    // Storage turned off or a damaged copy: the defaults until the core answers.
    return DEFAULT_APPEARANCE
  }
}

export function cacheAppearance(appearance: Appearance): void {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(appearance))
  } catch {
    // Storage turned off: only the first paint of the next start differs.
  }
}
