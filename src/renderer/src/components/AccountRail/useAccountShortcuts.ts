// The account switcher's keys (lib/account-keys says which), listened for while the window shows.
import { useEffect } from 'react'
import { accountKey } from '../../lib/account-keys'
import { useStore } from '../../store'

export function useAccountShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = useStore.getState()
      const n = accountKey(e, s.appInfo)
      if (n === null) return
      e.preventDefault()
      void s.switchToIndex(n - 1).catch(() => undefined)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
