// How the window looks on this device: the theme (light, dark, or the
// system's) and the text size. Kept by the client core per device (not per
// account) and cached by the window so the first paint already has it.
import { z } from 'zod'

export const ThemeChoice = z.enum(['system', 'light', 'dark'])
export type ThemeChoice = z.infer<typeof ThemeChoice>

export const TextSize = z.enum(['small', 'normal', 'large', 'larger'])
export type TextSize = z.infer<typeof TextSize>

export const Appearance = z.object({ theme: ThemeChoice.catch('system'), textSize: TextSize.catch('normal') })
export type Appearance = z.infer<typeof Appearance>

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', textSize: 'normal' }

/** A change to one or both. */
export const AppearanceChange = z
  .strictObject({ theme: ThemeChoice.optional(), textSize: TextSize.optional() })
  .refine((c) => c.theme !== undefined || c.textSize !== undefined, { message: 'give theme or textSize' })
