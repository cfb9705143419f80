// Characters a reader cannot see, or that reorder what is around them: they
// let a name pass for another ("The\u200b Boss"), read backwards ("\u202e…")
// or vanish ("\u200b\u200b"). One rule for names, file names and message text,
// on the server and in the window alike.
//
// Refused: every default-ignorable code point (zero-width space, word joiner,
// BOM, soft hyphen, Mongolian vowel separator, the Hangul fillers, tag
// characters, bidi marks, overrides, embeddings and isolates, …) and the
// braille blank, except where they do real work:
// - ZWJ (U+200D) and ZWNJ (U+200C) between two visible characters: emoji
//   sequences, Persian and Indic spelling;
// - variation selectors right after a visible character;
// - anything inside a recommended (RGI) emoji sequence, such as the tag
//   characters of the flag of Scotland.

// The v flag (Unicode sets) is newer than the compile target; the runtime has it.
const VARIATION = '\\uFE00-\\uFE0F\\u180B-\\u180D\\u180F\\u{E0100}-\\u{E01EF}'
const VISIBLE = '[[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Co}]--[\\p{Default_Ignorable_Code_Point}\\u2800]]'
const JOINER = '[\\u200C\\u200D]'

const HIDDEN =
  `${JOINER}(?!${VISIBLE})` +
  `|(?<!${VISIBLE}[${VARIATION}]?)${JOINER}` +
  `|(?<!${VISIBLE})[${VARIATION}]` +
  `|[[\\p{Default_Ignorable_Code_Point}\\u2800]--[\\u200C\\u200D${VARIATION}]]`

/** An emoji sequence (kept whole) or a hidden character. */
// The joiners and selectors are meant one by one here, not as the sequences they would form.
// eslint-disable-next-line no-misleading-character-class
const EMOJI_OR_HIDDEN = new RegExp(`(\\p{RGI_Emoji})|${HIDDEN}`, 'gv')
const ANY_VISIBLE = new RegExp(VISIBLE, 'v')

/** Control characters, line and paragraph separators and lone surrogates: never in one line of text. */
const CONTROL = /[\p{Cc}\p{Cs}\u2028\u2029]/u

export const HIDDEN_MESSAGE = 'must not contain invisible or direction-changing characters'

export function hasHiddenCharacters(s: string): boolean {
  for (const m of s.matchAll(EMOJI_OR_HIDDEN)) if (m[1] === undefined) return true
  return false
}

/** The text without what hasHiddenCharacters refuses: for names stored before the rule. */
export function withoutHiddenCharacters(s: string): string {
  return s.replace(EMOJI_OR_HIDDEN, (match, emoji: string | undefined) => emoji ?? '')
}

export function hasControlCharacters(s: string): boolean {
  return CONTROL.test(s)
}

/** Whether anything would show: whitespace and invisible characters alone do not. */
export function hasVisibleText(s: string): boolean {
  return ANY_VISIBLE.test(s)
}
