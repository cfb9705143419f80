// The window's theme and text size on this device. Shown at once from the
// page's copy, then from the client core, which keeps them.
import type { Appearance, TextSize, ThemeChoice } from '../../../shared/schemas/appearance'
import { api, unwrap } from '../lib/api'
import { applyAppearance, cacheAppearance, cachedAppearance } from '../lib/appearance'
import type { Slice } from './types'

export interface AppearanceSlice {
  appearance: Appearance
  /** The core's kept choice, at start. */
  loadAppearance(): Promise<void>
  setAppearance(change: { theme?: ThemeChoice; textSize?: TextSize }): Promise<void>
}

function show(appearance: Appearance): void {
  applyAppearance(appearance)
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
