// One request at a time per dialog: which one runs (to disable its button)
// and the last error in words.
import { useCallback, useState } from 'react'
import { i18n } from '../../i18n'

export interface Action {
  /** The key of the request that runs, or null. */
  busy: string | null
  error: string | null
  /** Runs fn under key; true when it succeeded, false when it threw (the error is shown). */
  run: (key: string, fn: () => Promise<void>) => Promise<boolean>
  setError: (error: string | null) => void
}

export function errorText(err: unknown): string {
  return err instanceof Error && err.message ? err.message : i18n.t('errors.generic')
}

export function useAction(): Action {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async (key: string, fn: () => Promise<void>): Promise<boolean> => {
    setBusy(key)
    setError(null)
    try {
      await fn()
      return true
    } catch (err) {
      setError(errorText(err))
      return false
    } finally {
      setBusy(null)
    }
  }, [])
  return { busy, error, run, setError }
}
