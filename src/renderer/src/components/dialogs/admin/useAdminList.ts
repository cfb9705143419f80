// Loads a list for the admin dialog once, and lets a change replace one entry.
import { useEffect, useState } from 'react'
import type { Result } from '../../../../../shared/errors'
import { unwrap } from '../../../lib/api'
import { errorText } from '../useAction'

export function useAdminList<T>(load: () => Promise<Result<T[]>>): {
  items: T[] | null
  setItems: React.Dispatch<React.SetStateAction<T[] | null>>
  loadError: string | null
} {
  const [items, setItems] = useState<T[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    unwrap(load()).then(
      (list) => live && setItems(list),
      (err: unknown) => live && setLoadError(errorText(err))
    )
    return () => {
      live = false
    }
    // Loaded once when the tab opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return { items, setItems, loadError }
}
