// Keywords that notify like a mention: whole words (or phrases), ignoring
// case, in the words a reader sees (Markdown removed), so "deploy" matches
// "Deploy!" but not "redeployed".
import { plainText } from '../../../shared/plain-text'

const patterns = new Map<string, RegExp>()

function pattern(keyword: string): RegExp {
  let re = patterns.get(keyword)
  if (!re) {
    const escaped = keyword.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')
    // Letters, digits and _ of any script end a word (\b knows only ASCII).
    re = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu')
    patterns.set(keyword, re)
  }
  return re
}

/** Whether the message text holds one of the keywords as a whole word. */
export function matchesKeyword(text: string, keywords: readonly string[]): boolean {
  const usable = keywords.filter((k) => k.trim().length > 0)
  if (usable.length === 0 || text.length === 0) return false
  const plain = plainText(text)
  return usable.some((k) => pattern(k).test(plain))
}
