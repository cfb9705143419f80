// Actions started with one click and no form of their own (a reaction, a
// delete) report a refusal here, in words from its code, instead of failing
// silently; the notice goes by itself after a while or when dismissed.
import { i18n } from '../i18n'
import { UiError, words } from '../lib/api'
import type { Slice } from './types'

const SHOWN_MS = 10_000

export interface Failure {
  key: number
  text: string
}

export interface FailuresSlice {
  failure: Failure | null
  /** Runs `action`; a refusal becomes the failure notice (what was tried, then why). */
  reportFailure(what: string, action: () => Promise<unknown>): Promise<void>
  dismissFailure(): void
}

let nextKey = 1
let timer: ReturnType<typeof setTimeout> | null = null

export const createFailuresSlice: Slice<FailuresSlice> = (set) => ({
  failure: null,
  async reportFailure(what, action) {
    try {
      await action()
    } catch (err) {
      const why = err instanceof UiError ? words(err.body) : i18n.t('errors.generic')
      const failure = { key: nextKey++, text: i18n.t('errors.failed', { what, why }) }
      set({ failure })
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => set((s) => (s.failure?.key === failure.key ? { failure: null } : {})), SHOWN_MS)
    }
  },
  dismissFailure() {
    set({ failure: null })
  }
})
