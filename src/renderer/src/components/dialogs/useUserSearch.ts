// People matching what is typed, asked of the server once typing pauses.
import { useEffect, useState } from 'react'
import { LIMITS } from '../../../../shared/limits'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { errorText } from './useAction'
import { useDebounced } from './useDebounced'

interface Found {
  query: string | null
  users: PublicUser[]
  error: string | null
}

export function useUserSearch(text: string): { users: PublicUser[]; error: string | null; searching: boolean } {
  const wanted = text.trim().slice(0, LIMITS.usernameMax)
  const query = useDebounced(wanted, 200)
  const [found, setFound] = useState<Found>({ query: null, users: [], error: null })
  useEffect(() => {
    let live = true
    unwrap(api().users.search({ ...(query ? { query } : {}), limit: 20 })).then(
      (users) => {
        if (live) setFound({ query, users, error: null })
      },
      (err: unknown) => {
        if (live) setFound({ query, users: [], error: errorText(err) })
      }
    )
    return () => {
      live = false
    }
  }, [query])
  return { users: found.users, error: found.error, searching: found.query !== wanted }
}
