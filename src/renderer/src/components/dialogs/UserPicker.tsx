// A search box over people with a list to pick from.
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PublicUser } from '../../../../shared/schemas/users'
import { shownName } from '../../lib/names'
import { selectMeId } from '../../store/selectors'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { ErrorLine } from './ErrorLine'
import { useUserSearch } from './useUserSearch'

interface Props {
  label: string
  onPick: (user: PublicUser) => void
  /** Ids not to offer (the signed-in user is never offered). */
  exclude?: readonly string[]
  /** A request runs: picking waits. */
  disabled?: boolean
  /** The word on each person's button, read with their name ("Add Ann"). */
  verb?: string
  /** Offer the signed-in user too (a user group's admin may be in it). */
  includeMe?: boolean
}

export function UserPicker({ label, onPick, exclude = [], disabled, verb, includeMe = false }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const meId = useStore(selectMeId)
  const { users, error, searching } = useUserSearch(text)
  const listId = useId()
  const shown = users.filter((u) => (includeMe || u.id !== meId) && !exclude.includes(u.id))
  return (
    <div className="user-picker">
      <label className="field">
        <span>{label}</span>
        <input
          className="input"
          type="search"
          value={text}
          placeholder={t('dialogs.picker.placeholder')}
          aria-controls={listId}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter picks the first match (and never submits a surrounding form).
            if (e.key !== 'Enter') return
            e.preventDefault()
            const first = shown[0]
            if (first && !searching && !disabled) onPick(first)
          }}
        />
      </label>
      <ErrorLine error={error} />
      <ul id={listId} className="list-plain dialog-list" aria-busy={searching} aria-label={t('dialogs.picker.people')}>
        {shown.map((u) => (
          <li key={u.id}>
            <button
              type="button"
              className="dialog-item"
              disabled={disabled}
              onClick={() => onPick(u)}
            >
              <Avatar name={u.displayName} image={u.avatar} size={32} />
              <span className="dialog-item-text">
                {/* Named by its text with the verb before it ("Chat with Bob @bob"): the name holds what is seen. */}
                {verb ? <span className="visually-hidden">{verb} </span> : null}
                <span className="dialog-item-title">{shownName(u)}</span>
                <span className="muted">@{u.username}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {!searching && !error && shown.length === 0 ? <p className="muted">{t('dialogs.picker.none')}</p> : null}
    </div>
  )
}
