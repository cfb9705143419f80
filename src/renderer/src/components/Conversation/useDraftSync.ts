// The composer's text as a draft: kept in the store (and by the core, which
// syncs it), so it is there again after switching away, a reload or on the
// user's other devices. While an edit is under way the box holds the edited
// message instead, in this component only: the draft waits untouched.
import { useCallback, useState } from 'react'
import { draftKey } from '../../../../shared/schemas/drafts'
import { useStore } from '../../store'
import { EMPTY_DRAFT, type Draft } from '../../store/ui'

type SetText = (value: string | ((text: string) => string)) => void

export function useDraftSync(conversationId: string, threadRoot?: number): { key: string; draft: Draft; text: string; setText: SetText } {
  const key = draftKey(conversationId, threadRoot)
  const draft = useStore((s) => s.drafts[key] ?? EMPTY_DRAFT)
  const [editText, setEditText] = useState('')
  const setText = useCallback<SetText>(
    (value) => {
      const s = useStore.getState()
      const current = s.drafts[key] ?? EMPTY_DRAFT
      if (current.editing !== null) setEditText(value)
      else s.setDraft(key, { text: typeof value === 'function' ? value(current.text) : value })
    },
    [key]
  )
  return { key, draft, text: draft.editing !== null ? editText : draft.text, setText }
}
