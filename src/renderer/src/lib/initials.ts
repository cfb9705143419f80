// The letters on an avatar that has no picture.

const LETTER = /\p{L}\p{M}*/gu
const STARTS_WITH_LETTER = /^\p{L}/u

function letters(word: string): string[] {
  return [...word.matchAll(LETTER)].map((m) => m[0])
}

/**
 * Up to two letters, never punctuation or emoji: the first letters of the
 * first and last words ("Alice Anders (Ops)" → "AA": a word that does not
 * start with a letter, like "(Ops)", is a qualifier, not a name), or the first
 * two letters of a single word ("Émile" → "ÉM", "王小明" → "王小"). Any script:
 * Unicode letter classes, not A–Z. Empty when the name has no letter at all
 * (emoji only): the avatar shows a neutral glyph then.
 */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((w) => STARTS_WITH_LETTER.test(w))
  const picked =
    words.length > 1 ? [letters(words[0]!)[0], letters(words[words.length - 1]!)[0]] : letters(words[0] ?? name).slice(0, 2)
  return picked.join('').toLocaleUpperCase()
}
