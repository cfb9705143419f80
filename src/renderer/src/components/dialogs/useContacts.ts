// Contacts, fetched when the dialog opens and again whenever main reports a
// change (or the caller asks), and the invitations the store keeps (loaded
// again with them).
import { useCallback, useEffect, useState } from 'react'
import type { Invitation } from '../../../../shared/schemas/contacts'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { errorText } from './useAction'

export interface ContactsState {
  loaded: boolean
  contacts: PublicUser[]
  incoming: Invitation[]
  outgoing: Invitation[]
  /** Mine, declined while the window was open: shown until dismissed. */
  declined: Invitation[]
  error: string | null
}

const EMPTY = { loaded: false, contacts: [] as PublicUser[], error: null as string | null }

export function useContacts(): ContactsState & { refresh: () => void } {
  const [state, setState] = useState(EMPTY)
  const [version, setVersion] = useState(0)
  const refresh = useCallback(() => setVersion((v) => v + 1), [])
  const { incoming, outgoing, declined } = useStore((s) => s.invitations)

  useEffect(() => {
    // Looking at the invitations now: their notices have done their work.
    useStore.getState().clearInvitationNotices()
    return api().onContacts(refresh)
  }, [refresh])

  useEffect(() => {
    let live = true
    Promise.all([unwrap(api().contacts.list()), useStore.getState().loadInvitations()]).then(
      ([contacts]) => {
        if (live) setState({ loaded: true, contacts, error: null })
      },
      (err: unknown) => {
        if (live) setState((s) => ({ ...s, loaded: true, error: errorText(err) }))
      }
    )
    return () => {
      live = false
    }
  }, [version])

  return { ...state, incoming, outgoing, declined, refresh }
}
