// The window's theme, text size and language on this device. Shown at once from the
// page's copy, then from the client core, which keeps them.
import type { Appearance, LanguageChoice, TextSize, ThemeChoice } from '../../../shared/schemas/appearance'
import { applyLanguage } from '../i18n'
import { api, unwrap } from '../lib/api'
import { applyAppearance, cacheAppearance, cachedAppearance } from '../lib/appearance'
import type { Slice } from './types'

export interface AppearanceSlice {
  appearance: Appearance
  /** The core's kept choice, at start. */
  loadAppearance(): Promise<void>
  setAppearance(change: { theme?: ThemeChoice; textSize?: TextSize; language?: LanguageChoice }): Promise<void>
}

function show(appearance: Appearance): void {
  applyAppearance(appearance)
  applyLanguage(appearance.language)
  cacheAppearance(appearance)
}

export const createAppearanceSlice: Slice<AppearanceSlice> = (set, get) => ({
  appearance: cachedAppearance(),
  async loadAppearance() {
    const appearance = await unwrap(api().app.appearance())
    show(appearance)
    set({ appearance })
  },
  async setAppearance(change) {
    const before = get().appearance
    // Shown before the core has written it: the choice is felt at once.
    const wanted = { ...before, ...change }
    show(wanted)
    set({ appearance: wanted })
    try {
      const kept = await unwrap(api().app.setAppearance(change))
      show(kept)
      set({ appearance: kept })
    } catch (err) {
      show(before)
      set({ appearance: before })
      throw err
    }
  }
})
