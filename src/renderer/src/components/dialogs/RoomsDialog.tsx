// Public rooms: browse and join, or enter a name to create or join one.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import type { RoomSummary } from '../../../../shared/schemas/rooms'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { showConversation } from './showConversation'
import { errorText, useAction } from './useAction'
import { useDebounced } from './useDebounced'

interface Listing {
  query: string | null
  rooms: RoomSummary[]
  error: string | null
}

export function RoomsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [name, setName] = useState('')
  const wanted = text.trim().slice(0, LIMITS.roomNameMax)
  const query = useDebounced(wanted, 200)
  const [listing, setListing] = useState<Listing>({ query: null, rooms: [], error: null })
  const { busy, error, run } = useAction()

  useEffect(() => {
    let live = true
    unwrap(api().rooms.list({ ...(query ? { query } : {}), limit: LIMITS.searchResultsMax })).then(
      (rooms) => {
        if (live) setListing({ query, rooms, error: null })
      },
      (err: unknown) => {
        if (live) setListing({ query, rooms: [], error: errorText(err) })
      }
    )
    return () => {
      live = false
    }
  }, [query])

  const open = (room: RoomSummary): void => {
    void run(room.id, async () => {
      const cached = useStore.getState().conversations[room.id]
      if (room.joined) showConversation(cached ?? (await unwrap(api().conversations.get({ conversationId: room.id }))))
      else showConversation(await unwrap(api().rooms.join({ roomId: room.id })))
    })
  }

  const enter = (): void => {
    void run('enter', async () => showConversation(await unwrap(api().rooms.enter({ name: name.trim() }))))
  }

  const loading = listing.query !== wanted
  return (
    <Dialog title={t('dialogs.rooms.title')} onClose={onClose} wide>
      <form
        className="row dialog-enter"
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim()) enter()
        }}
      >
        <label className="field spacer">
          <span>{t('dialogs.rooms.enterLabel')}</span>
          <input className="input" value={name} maxLength={LIMITS.roomNameMax} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy !== null || !name.trim()}>
          {busy === 'enter' ? t('dialogs.rooms.entering') : t('dialogs.rooms.enter')}
        </button>
      </form>
      <ErrorLine error={error} />
      <label className="field">
        <span>{t('dialogs.rooms.search')}</span>
        <input className="input" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <ErrorLine error={listing.error} />
      <ul className="list-plain dialog-list" aria-label={t('shell.sidebar.rooms')} aria-busy={loading}>
        {listing.rooms.map((room) => (
          <li key={room.id} className="dialog-row">
            <Avatar name={room.name} image={room.avatar} size={36} />
            <div className="dialog-item-text">
              <span className="dialog-item-title">{room.name}</span>
              {room.description ? <span className="muted dialog-clamp">{room.description}</span> : null}
              <span className="muted">
                {t('dialogs.members.count', { count: room.memberCount })}
              </span>
            </div>
            <button
              type="button"
              className={room.joined ? 'btn' : 'btn btn-primary'}
              disabled={busy !== null}
              aria-label={room.joined ? t('dialogs.rooms.openName', { name: room.name }) : t('dialogs.rooms.joinName', { name: room.name })}
              onClick={() => open(room)}
            >
              {busy === room.id ? '…' : room.joined ? t('chat.transfer.open') : t('shell.sidebar.join')}
            </button>
          </li>
        ))}
      </ul>
      {!loading && !listing.error && listing.rooms.length === 0 ? (
        <p className="muted">{wanted ? t('dialogs.rooms.noMatch') : t('dialogs.rooms.none')}</p>
      ) : null}
    </Dialog>
  )
}
