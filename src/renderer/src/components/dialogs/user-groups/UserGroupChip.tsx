// A user group's mention chip (@design) that shows who is in the group: its
// title names them on hover, and a click (or Enter) opens the list, which Esc
// or a click elsewhere closes, focus back on the chip.
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UserGroup } from '../../../../../shared/schemas/user-groups'
import type { PublicUser } from '../../../../../shared/schemas/users'
import { i18n } from '../../../i18n'
import { shownName } from '../../../lib/names'
import { useStore } from '../../../store'

/** Names shown in the hover title before "and N more". */
const TITLE_NAMES = 8

/** The members' names as the directory knows them, in the group's order. */
export function memberNames(group: UserGroup, people: Readonly<Record<string, PublicUser>>): string[] {
  return group.memberIds.map((id) => (people[id] ? shownName(people[id]) : i18n.t('userGroups.unknownPerson')))
}

/** The chip of a group in the store (null when the group is gone). */
export function UserGroupChip({ groupId, me = false }: { groupId: string; me?: boolean }): React.JSX.Element | null {
  const group = useStore((s) => s.userGroups[groupId])
  const people = useStore((s) => s.people)
  return group ? <UserGroupChipView handle={group.handle} ids={group.memberIds} names={memberNames(group, people)} me={me} /> : null
}

interface ViewProps {
  handle: string
  /** Keys of the names (the members' ids). */
  ids: readonly string[]
  names: readonly string[]
  me: boolean
}

export function UserGroupChipView({ handle, ids, names, me }: ViewProps): React.JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const chip = useRef<HTMLButtonElement>(null)
  const listId = useId()
  useEffect(() => {
    if (!open) return
    const close = (e: Event): void => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return
      if (e instanceof MouseEvent && chip.current?.parentElement?.contains(e.target as Node)) return
      setOpen(false)
      chip.current?.focus()
    }
    document.addEventListener('keydown', close)
    document.addEventListener('mousedown', close)
    return () => {
      document.removeEventListener('keydown', close)
      document.removeEventListener('mousedown', close)
    }
  }, [open])
  const more = names.length - TITLE_NAMES
  const title = `${t('userGroups.chip.members', { handle: handle })}: ${names.slice(0, TITLE_NAMES).join(', ')}${more > 0 ? ` ${t('userGroups.chip.more', { count: more })}` : ''}`
  return (
    <span className="user-group-chip">
      <button
        ref={chip}
        type="button"
        className={me ? 'mention mention--group mention--me' : 'mention mention--group'}
        title={title}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => setOpen(!open)}
      >
        @{handle}
      </button>
      {open ? (
        <ul id={listId} className="list-plain user-group-members" aria-label={t('userGroups.chip.members', { handle: handle })}>
          {names.map((name, i) => (
            <li key={ids[i]}>{name}</li>
          ))}
        </ul>
      ) : null}
    </span>
  )
}
