// How the window looks on this device: the theme (light, dark, or the
// system's), the text size and the language (the system's, or one chosen). Kept by the client core per device (not per
// account) and cached by the window so the first paint already has it.
import { z } from 'zod'

export const ThemeChoice = z.enum(['system', 'light', 'dark'])
export type ThemeChoice = z.infer<typeof ThemeChoice>

export const TextSize = z.enum(['small', 'normal', 'large', 'larger'])
export type TextSize = z.infer<typeof TextSize>

/** The languages the window speaks (src/renderer/src/i18n/locales), or the system's. */
export const LanguageChoice = z.enum(['system', 'en', 'de'])
export type LanguageChoice = z.infer<typeof LanguageChoice>

export const Appearance = z.object({ theme: ThemeChoice.catch('system'), textSize: TextSize.catch('normal'), language: LanguageChoice.catch('system') })
export type Appearance = z.infer<typeof Appearance>

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', textSize: 'normal', language: 'system' }

/** A change to one or more of them. */
export const AppearanceChange = z
  .strictObject({ theme: ThemeChoice.optional(), textSize: TextSize.optional(), language: LanguageChoice.optional() })
  .refine((c) => c.theme !== undefined || c.textSize !== undefined || c.language !== undefined, { message: 'give theme, textSize or language' })
