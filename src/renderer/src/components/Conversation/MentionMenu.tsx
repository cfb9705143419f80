// The list the @ autocomplete offers above the composer. Focus stays in the
// text box (aria-activedescendant names the highlighted option); a click picks.
import { useTranslation } from 'react-i18next'
import type { MentionAutocomplete } from './useMentionAutocomplete'

export function MentionMenu({ menu }: { menu: NonNullable<MentionAutocomplete['menu']> }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <ul className="mention-menu" role="listbox" id={menu.id} aria-label={t('mentions.menu')}>
      {menu.options.map((c, i) => (
        <li
          key={`${c.kind}:${c.id}`}
          id={`${menu.id}-${i}`}
          role="option"
          aria-selected={i === menu.active}
          className={`mention-option${i === menu.active ? ' active' : ''}`}
          // Keeps the focus (and the caret) in the text box.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => menu.pick(c)}
        >
          <span className="mention-option-name">{c.kind === 'person' ? c.label : `@${c.insert}`}</span>
          <span className="mention-option-detail">
            {c.kind === 'person' ? `@${c.insert}` : c.kind === 'broadcast' ? t(c.id === 'here' ? 'mentions.here' : 'mentions.all') : c.label}
          </span>
        </li>
      ))}
    </ul>
  )
}
