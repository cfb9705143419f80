// Every language of the window has every text, and every text the code asks
// for exists: a language folder (src/renderer/src/i18n/locales/<lang>) is
// checked against English, and the window's source is scanned for keys.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LANGUAGES, languageFor, systemLanguage } from '../../../src/renderer/src/i18n/language'
import { resources } from '../../../src/renderer/src/i18n/resources'

const RENDERER = join(import.meta.dirname, '../../../src/renderer/src')
const LOCALES = join(RENDERER, 'i18n/locales')
const PLURAL = /_(zero|one|two|few|many|other)$/

type Tree = { [key: string]: string | Tree }

/** "chat.system.added" → its text, for every leaf of a language's files (file name first). */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

function readLanguage(lang: string): Map<string, string> {
  const tree: Tree = {}
  for (const file of readdirSync(join(LOCALES, lang)).filter((f) => f.endsWith('.json'))) {
    tree[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')) as Tree
  }
  return flatten(tree)
}

const folders = readdirSync(LOCALES).sort()
const texts = new Map(folders.map((lang) => [lang, readLanguage(lang)]))
const english = texts.get('en')!

/** The key without its plural suffix: languages differ in their plural forms, not in their keys. */
const base = (key: string): string => key.replace(PLURAL, '')
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!))].sort()

describe('the window’s languages', () => {
  it('are all bundled: every folder of locales is a language the window offers', () => {
    expect(folders).toEqual([...LANGUAGES].sort())
    expect(Object.keys(resources).sort()).toEqual(folders)
    for (const lang of folders) expect(flatten(resources[lang as keyof typeof resources].translation as Tree)).toEqual(texts.get(lang))
  })

  for (const lang of folders.filter((l) => l !== 'en')) {
    it(`${lang} has every text English has, and no other, none of them empty`, () => {
      const theirs = texts.get(lang)!
      const missing = [...new Set([...english.keys()].map(base))].filter((k) => ![...theirs.keys()].some((t) => base(t) === k))
      const extra = [...new Set([...theirs.keys()].map(base))].filter((k) => ![...english.keys()].some((e) => base(e) === k))
      expect({ missing, extra }).toEqual({ missing: [], extra: [] })
      const empty = [...theirs].filter(([, text]) => !text.trim()).map(([key]) => key)
      expect(empty).toEqual([])
    })

    it(`${lang} has each plural form its language needs, and the same placeholders as English`, () => {
      const theirs = texts.get(lang)!
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      const plurals = new Set([...english.keys()].filter((k) => PLURAL.test(k)).map(base))
      const lacking = [...plurals].flatMap((k) => categories.filter((c) => !theirs.has(`${k}_${c}`)).map((c) => `${k}_${c}`))
      expect(lacking).toEqual([])
      const differ = [...english].filter(([key, text]) => {
        const other = theirs.get(key) ?? theirs.get(`${base(key)}_other`)
        return other !== undefined && placeholders(other).join() !== placeholders(text).join()
      })
      expect(differ.map(([key]) => key)).toEqual([])
    })
  }

  it('English has no empty text', () => {
    expect([...english].filter(([, text]) => !text.trim()).map(([key]) => key)).toEqual([])
  })

  it('every key the window’s code names exists (as written, or with its plural or context forms)', () => {
    const files = readdirSync(RENDERER, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f))
    // A quoted key of one of the language files: t('chat.edited'), i18nKey="shell.main.switcher", a constant 'admin.tabs.users'.
    const areas = [...new Set([...english.keys()].map((k) => k.split('.')[0]!))].join('|')
    const quoted = new RegExp(`['"\`]((?:${areas})\\.[A-Za-z0-9_.]+)['"\`]`, 'g')
    const unknown: string[] = []
    let found = 0
    for (const file of files) {
      const source = readFileSync(join(RENDERER, file), 'utf8')
      for (const match of source.matchAll(quoted)) {
        const key = match[1]!
        found++
        // Also a key with plural or context forms (key_one, key_room), or a group of texts asked for whole (returnObjects).
        if (!english.has(key) && ![...english.keys()].some((k) => k.startsWith(`${key}_`) || k.startsWith(`${key}.`))) unknown.push(`${file}: ${key}`)
      }
    }
    expect(unknown).toEqual([])
    // The scan found the calls (a scan that matches nothing would pass for nothing).
    expect(found).toBeGreaterThan(300)
  })
})

describe('the language shown', () => {
  it('follows the system’s first language the window has, else English; a choice in settings wins', () => {
    expect(systemLanguage(['de-DE', 'en-US'])).toBe('de')
    expect(systemLanguage(['fr-FR', 'de-AT', 'en'])).toBe('de')
    expect(systemLanguage(['fr-FR', 'ja'])).toBe('en')
    expect(systemLanguage([])).toBe('en')
    expect(languageFor('system', ['de-CH'])).toBe('de')
    expect(languageFor('en', ['de-DE'])).toBe('en')
    expect(languageFor('de', ['en-US'])).toBe('de')
  })
})
