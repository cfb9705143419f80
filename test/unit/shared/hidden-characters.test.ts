// Names, file names and message text against invisible and direction-changing
// characters: the shared schemas the server and the window both parse with.
import { describe, expect, it } from 'vitest'
import { contentDisposition } from '../../../src/shared/content-disposition'
import { GroupTitle } from '../../../src/shared/schemas/conversations'
import { FileName } from '../../../src/shared/schemas/files'
import { withoutHiddenCharacters } from '../../../src/shared/schemas/hidden-characters'
import { EditMessageBody, SendMessageBody } from '../../../src/shared/schemas/messages'
import { RoomName } from '../../../src/shared/schemas/rooms'
import { SearchQuery } from '../../../src/shared/schemas/search'
import { DisplayName, StatusText } from '../../../src/shared/schemas/users'

const HIDDEN = 'must not contain invisible or direction-changing characters'

function problem(result: { success: boolean; error?: { issues: { message: string }[] } }): string {
  return result.success ? 'accepted' : result.error!.issues.map((i) => i.message).join('; ')
}

describe('display names', () => {
  it.each([
    ['a zero-width space', 'The\u200b Boss'],
    ['a right-to-left override', '\u202essoB ehT'],
    ['only zero-width spaces', '\u200b\u200b'],
    ['an embedding', 'a\u202Ab'],
    ['an isolate', '\u2067Boss\u2069'],
    ['a left-to-right mark', 'Boss\u200e'],
    ['a word joiner', 'Bo\u2060ss'],
    ['a byte order mark', '\ufeffBoss'],
    ['a soft hyphen', 'Bo\u00adss'],
    ['a Mongolian vowel separator', 'Boss\u180e'],
    ['a Hangul filler', '\u3164'],
    ['a half-width Hangul filler', 'Boss \uffa0'],
    ['a braille blank', '\u2800'],
    ['a tag character', 'Boss\u{E0041}'],
    ['a variation selector standing alone', '\ufe0f'],
    ['a variation selector after a space', 'Boss \ufe0f'],
    ['a joiner at the start', '\u200dBoss'],
    ['a non-joiner at the end', 'Boss\u200c'],
    ['a joiner next to a space', 'The \u200d Boss']
  ])('refuses %s', (_what, name) => {
    expect(problem(DisplayName.safeParse(name))).toBe(HIDDEN)
  })

  it('refuses control characters and line separators', () => {
    expect(problem(DisplayName.safeParse('The\u0007Boss'))).toBe('may not contain control characters')
    expect(problem(DisplayName.safeParse('The\u2028Boss'))).toBe('may not contain control characters')
    expect(problem(DisplayName.safeParse('Bo\ud800ss'))).toBe('may not contain control characters')
  })

  it('applies NFKC, so no-break and other spaces become plain ones and look-alike forms fold', () => {
    expect(DisplayName.parse('The\u00a0Boss')).toBe('The Boss')
    expect(DisplayName.parse('The\u3000Boss')).toBe('The Boss')
    expect(DisplayName.parse('Ｔｈｅ Ｂｏｓｓ')).toBe('The Boss')
    expect(DisplayName.parse('\u{1d413}he Boss')).toBe('The Boss')
    expect(DisplayName.parse('ﬁona')).toBe('fiona')
  })

  it('collapses runs of spaces and trims, then refuses what is blank', () => {
    expect(DisplayName.parse('  The \u2003  Boss\u00a0')).toBe('The Boss')
    expect(problem(DisplayName.safeParse(' \u00a0 '))).toBe('must not be blank')
  })

  it.each([
    ['emoji joined with ZWJ', 'Ana 👩‍👩‍👧'],
    ['an emoji with a variation selector and ZWJ', 'Ana ❤️‍🔥'],
    ['a flag made of tag characters', 'Ana 🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['a skin tone', 'Ana 👍🏽'],
    ['Persian with ZWNJ', 'می‌خواهم'],
    ['Hindi with ZWNJ after a virama', 'क्‌ष'],
    ['Arabic', 'محمد عبدالله'],
    ['Hebrew', 'שלום כהן'],
    ['Arabic mixed with Latin and digits', 'Ali علي 2'],
    ['accents', 'Zoë Ångström'],
    ['CJK', '山田 太郎']
  ])('accepts %s unchanged', (_what, name) => {
    expect(DisplayName.parse(name)).toBe(name.normalize('NFKC'))
  })

  it('applies to the other one-line names too: titles, room names and status', () => {
    expect(problem(GroupTitle.safeParse('\u202eTeam'))).toBe(HIDDEN)
    expect(problem(RoomName.safeParse('\u200b'))).toBe(HIDDEN)
    expect(problem(StatusText.safeParse('away\u200b'))).toBe(HIDDEN)
    expect(GroupTitle.parse('Team\u00a0A')).toBe('Team A')
    expect(StatusText.parse('')).toBe('')
  })

  it('leaves search words as written (messages are not folded)', () => {
    expect(SearchQuery.parse({ q: 'ﬁle' }).q).toBe('ﬁle')
  })
})

describe('file names', () => {
  it('refuses overrides and invisible characters, but not the scripts that need joiners', () => {
    expect(problem(FileName.safeParse('invoice\u202efdp.exe'))).toBe(HIDDEN)
    expect(problem(FileName.safeParse('report\u200b.pdf'))).toBe(HIDDEN)
    expect(FileName.parse('گزارش‌ها.pdf')).toBe('گزارش‌ها.pdf')
    expect(FileName.parse('ｆｕｌｌ.txt')).toBe('ｆｕｌｌ.txt')
  })

  it('a download header drops them from a name stored before the rule', () => {
    expect(contentDisposition('attachment', 'invoice\u202efdp.exe')).toBe('attachment; filename=invoicefdp.exe')
    expect(contentDisposition('attachment', '\u200b')).toBe('attachment; filename=download')
  })

  it('withoutHiddenCharacters keeps emoji sequences and joiners that do work', () => {
    expect(withoutHiddenCharacters('\u202eThe\u200b Boss 👩‍👩‍👧 می‌خواهم\u2069')).toBe('The Boss 👩‍👩‍👧 می‌خواهم')
  })
})

describe('message text', () => {
  const send = (text: string, attachments?: string[]) => SendMessageBody.safeParse({ clientId: 'c1', text, ...(attachments ? { attachments } : {}) })

  it('refuses text of only invisible characters as it refuses only whitespace', () => {
    for (const text of ['\u200b', ' \u200b\u2060 ', '\u3164', '\u2800', '\u202e', '\ufe0f', '   ']) {
      expect(send(text).success, JSON.stringify(text)).toBe(false)
      expect(EditMessageBody.safeParse({ text }).success, JSON.stringify(text)).toBe(false)
    }
  })

  it('keeps accepting visible text with such characters, an emoji alone, and files with no text', () => {
    expect(send('a\u200b').success).toBe(true)
    expect(send('👍').success).toBe(true)
    expect(send('', ['6f1c6d2e-4a0b-4c43-9c5e-0a4a1f1e6b11']).success).toBe(true)
    expect(send('\u200b', ['6f1c6d2e-4a0b-4c43-9c5e-0a4a1f1e6b11']).success).toBe(true)
    expect(EditMessageBody.parse({ text: 'fixed' }).text).toBe('fixed')
  })
})
