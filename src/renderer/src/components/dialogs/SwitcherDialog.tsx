// Quick switcher (Ctrl/Cmd+K): type to filter conversations, arrows to move, Enter to open.
import { useEffect, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { activity, conversationTitle, otherMember, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Dialog } from '../Dialog/Dialog'

export function SwitcherDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const conversations = useStore((s) => s.conversations)
  const meId = useStore(selectMeId)
  const [filter, setFilter] = useState('')
  const [index, setIndex] = useState(0)
  const listId = useId()

  const items = useMemo(() => {
    const f = filter.trim().toLowerCase()
    return Object.values(conversations)
      .map((c) => ({ c, title: conversationTitle(c, meId) }))
      .filter(({ title }) => !f || title.toLowerCase().includes(f))
      .sort((a, b) => (activity(a.c) < activity(b.c) ? 1 : activity(a.c) > activity(b.c) ? -1 : 0))
  }, [conversations, meId, filter])
  const selected = Math.min(index, items.length - 1)

  const open = (id: string): void => {
    useStore.getState().openConversation(id)
    onClose()
  }
  const optionId = (i: number): string => `${listId}-${i}`
  useEffect(() => {
    document.getElementById(`${listId}-${selected}`)?.scrollIntoView({ block: 'nearest' })
  }, [listId, selected])

  return (
    <Dialog title={t('dialogs.switcher.title')} onClose={onClose}>
      <label className="visually-hidden" htmlFor={`${listId}-input`}>
        {t('dialogs.switcher.name')}
      </label>
      <input
        id={`${listId}-input`}
        className="input"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={selected >= 0 ? optionId(selected) : undefined}
        placeholder={t('dialogs.switcher.placeholder')}
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value)
          setIndex(0)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            const step = e.key === 'ArrowDown' ? 1 : -1
            setIndex((Math.max(selected, 0) + step + items.length) % Math.max(items.length, 1))
          } else if (e.key === 'Enter') {
            e.preventDefault()
            const item = items[selected]
            if (item) open(item.c.id)
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label={t('shell.sidebar.conversations')} className="list-plain dialog-list switcher-list">
        {items.map(({ c, title }, i) => (
          <li
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === selected}
            className={`dialog-item${i === selected ? ' is-selected' : ''}`}
            onMouseMove={() => {
              if (i !== selected) setIndex(i)
            }}
            onClick={() => open(c.id)}
          >
            <Avatar name={title} image={c.avatar ?? otherMember(c, meId)?.user.avatar ?? null} size={28} />
            <span className="dialog-item-title spacer">{title}</span>
            {c.unreadCount > 0 ? (
              <span className="badge">
                <span aria-hidden="true">{c.unreadCount > 99 ? '99+' : c.unreadCount}</span>
                <span className="visually-hidden">{t('dialogs.switcher.unread', { count: c.unreadCount })}</span>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {items.length === 0 ? <p className="muted">{t('shell.sidebar.noMatch')}</p> : null}
    </Dialog>
  )
}
