// Contacts and pending invitations, fetched when the dialog opens and again
// whenever main reports a change (or the caller asks).
import { useCallback, useEffect, useState } from 'react'
import type { Invitation } from '../../../../shared/schemas/contacts'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { errorText } from './useAction'

export interface ContactsState {
  loaded: boolean
  contacts: PublicUser[]
  incoming: Invitation[]
  outgoing: Invitation[]
  error: string | null
}

const EMPTY: ContactsState = { loaded: false, contacts: [], incoming: [], outgoing: [], error: null }

export function useContacts(): ContactsState & { refresh: () => void } {
  const [state, setState] = useState(EMPTY)
  const [version, setVersion] = useState(0)
  const refresh = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => {
    const offInvitation = api().onInvitation(refresh)
    const offContacts = api().onContacts(refresh)
    return () => {
      offInvitation()
      offContacts()
    }
  }, [refresh])

  useEffect(() => {
    let live = true
    Promise.all([unwrap(api().contacts.list()), unwrap(api().invitations.list())]).then(
      ([contacts, { incoming, outgoing }]) => {
        if (live) setState({ loaded: true, contacts, incoming, outgoing, error: null })
      },
      (err: unknown) => {
        if (live) setState((s) => ({ ...s, loaded: true, error: errorText(err) }))
      }
    )
    return () => {
      live = false
    }
  }, [version])

  return { ...state, refresh }
}
