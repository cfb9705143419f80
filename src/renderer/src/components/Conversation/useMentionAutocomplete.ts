// The composer's @ autocomplete: which `@word` the caret is in, what it offers
// (members, @here/@all when the writer may use them, user groups), keyboard
// (Up/Down, Enter or Tab to pick, Esc closes only the menu) and the ids a
// finished text mentions.
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Conversation } from '../../../../shared/schemas/conversations'
import { insertMention, mentionAt, mentionCandidates, mentionFields, type MentionCandidate, type MentionFields } from '../../lib/mention-input'
import { useStore } from '../../store'
import { selectUserGroups } from '../../store/mention-selectors'
import { selectMeId } from '../../store/selectors'

export interface MentionAutocomplete {
  /** The menu to show, or null. */
  menu: { id: string; options: MentionCandidate[]; active: number; pick: (c: MentionCandidate) => void } | null
  /** For the textarea: the caret moved or the text changed. */
  onSelect: (e: React.SyntheticEvent<HTMLTextAreaElement>) => void
  /** For the textarea's keydown, before its own keys: true when the menu took the key. */
  onKeyDown: (e: React.KeyboardEvent<HTMLTextAreaElement>) => boolean
  /** ARIA for the textarea: the list it controls and its highlighted option. */
  inputProps: Record<string, string | undefined>
  /** The ids `text` mentions, for the send. */
  fields: (text: string) => MentionFields
  /** Why this text may not be sent here (@here/@all by a member where only admins may), or null. */
  refusal: (text: string) => string | null
}

/** Whether the signed-in user may write @here and @all in `c`. */
export function mayBroadcast(c: Conversation | undefined, meId: string | null): boolean {
  if (!c || c.kind === 'direct' || c.broadcastMentions !== 'admins') return true
  return c.members.some((m) => m.user.id === meId && m.role === 'admin')
}

export function useMentionAutocomplete(
  conversation: Conversation | undefined,
  text: string,
  setText: (text: string) => void,
  box: React.RefObject<HTMLTextAreaElement | null>
): MentionAutocomplete {
  const { t } = useTranslation()
  const meId = useStore(selectMeId)
  const groupsById = useStore(selectUserGroups)
  const id = useId()
  const [caret, setCaret] = useState(0)
  const [active, setActive] = useState(0)
  /** Esc closed the menu for the `@word` starting here. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)

  const people = useMemo(
    () => (conversation?.members ?? []).filter((m) => m.user.id !== meId).map((m) => ({ id: m.user.id, username: m.user.username, displayName: m.user.displayName })),
    [conversation, meId]
  )
  const groups = useMemo(() => Object.values(groupsById).map((g) => ({ id: g.id, handle: g.handle, name: g.name })), [groupsById])
  const broadcast = mayBroadcast(conversation, meId)

  const at = caret <= text.length ? mentionAt(text, caret) : null
  const options = at && at.start !== dismissedAt ? mentionCandidates(at.query, people, groups, broadcast) : []
  const open = at !== null && options.length > 0
  const current = Math.min(active, Math.max(0, options.length - 1))

  const pick = (c: MentionCandidate): void => {
    if (!at) return
    const next = insertMention(text, at.start, caret, c.insert)
    setText(next.text)
    setCaret(next.caret)
    setActive(0)
    // After React wrote the new value: the caret goes after the inserted name.
    requestAnimationFrame(() => {
      box.current?.focus()
      box.current?.setSelectionRange(next.caret, next.caret)
    })
  }

  return {
    menu: open ? { id: `${id}-mentions`, options, active: current, pick } : null,
    onSelect: (e) => {
      const position = e.currentTarget.selectionStart
      if (position !== caret) setActive(0)
      setCaret(position)
      const word = mentionAt(e.currentTarget.value, position)
      if (dismissedAt !== null && word?.start !== dismissedAt) setDismissedAt(null)
    },
    onKeyDown: (e) => {
      if (!open || e.nativeEvent.isComposing) return false
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        const step = e.key === 'ArrowDown' ? 1 : -1
        setActive((current + step + options.length) % options.length)
      } else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        pick(options[current]!)
      } else if (e.key === 'Escape') {
        // Only the menu closes: not the reply, the edit or a dialog around.
        e.stopPropagation()
        setDismissedAt(at.start)
      } else {
        return false
      }
      e.preventDefault()
      return true
    },
    // The box stays a textbox (its name and role are what people and tests find it by); these tie the list to it.
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': open ? `${id}-mentions` : undefined,
      'aria-activedescendant': open ? `${id}-mentions-${current}` : undefined
    },
    fields: (value) => mentionFields(value, people, groups),
    refusal: (value) => (!broadcast && mentionFields(value, [], []).mentionAll ? t('mentions.adminsOnly') : null)
  }
}
