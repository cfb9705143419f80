// The window's i18next instance: created with every language bundled, so it
// is ready before the first render and a change of language applies at once.
// <html lang> follows the language (screen readers, hyphenation, spelling).
import i18next, { type i18n as I18n } from 'i18next'
import { useSyncExternalStore } from 'react'
import { initReactI18next } from 'react-i18next'
import type { LanguageChoice } from '../../../shared/schemas/appearance'
import { cachedAppearance } from '../lib/appearance'
import { isLanguage, languageFor, type Language } from './language'
import { resources } from './resources'

export const i18n: I18n = i18next.createInstance()

function preferred(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages
}

void i18n.use(initReactI18next).init({
  resources,
  // The page's copy of the choice, as for the theme: the first paint is in the right language.
  lng: languageFor(cachedAppearance().language, preferred()),
  fallbackLng: 'en',
  initAsync: false,
  // React escapes what it renders; texts are never set as HTML.
  interpolation: { escapeValue: false }
})

// "{{label, lowercase}}": a button's name inside a sentence, where the language lowers it (English does, German nouns must not be).
i18n.services.formatter?.add('lowercase', (value: unknown, lng: string | undefined) => String(value).toLocaleLowerCase(lng))

function showLang(lng: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lng
}
i18n.on('languageChanged', showLang)
showLang(i18n.language)

/** Applies the chosen language (or the system's) now; components re-render in it. */
export function applyLanguage(choice: LanguageChoice): void {
  const lng = languageFor(choice, preferred())
  if (i18n.language !== lng) void i18n.changeLanguage(lng)
  else showLang(lng)
}

// The system's languages changed while the window is open: "System" follows them.
if (typeof window !== 'undefined') window.addEventListener('languagechange', () => applyLanguage(cachedAppearance().language))

function onLanguage(listener: () => void): () => void {
  i18n.on('languageChanged', listener)
  return () => i18n.off('languageChanged', listener)
}

/**
 * Re-renders the calling component when the language changes, and does no
 * more: for the rows of the message list, which then use i18n.t. With
 * useTranslation in every row (a fixed t and an i18n wrapper made per row as
 * it mounts) the list opened short of its end (test/e2e/search.spec.ts).
 */
export function useLanguage(): string {
  return useSyncExternalStore(onLanguage, () => i18n.language)
}

/** The language texts are in now. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en'
}
