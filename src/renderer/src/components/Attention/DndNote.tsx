// Issue 21: the note above the composer when the person written to has notifications paused.
import { useTranslation } from 'react-i18next'
import { isForever } from '../../../../shared/dnd'
import { untilText } from '../../lib/attention-times'
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import { otherMember, selectMeId } from '../../store/selectors'
import { useDndUntil } from './DndMark'

export function DndNote({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[conversationId])
  const meId = useStore(selectMeId)
  const other = c?.kind === 'direct' ? otherMember(c, meId) : undefined
  const until = useDndUntil(other?.user.id)
  if (!other || !until) return null
  const name = shownName(other.user)
  return (
    <p className="dnd-note" role="note" data-testid="dnd-note">
      {isForever(until) ? t('attention.dnd.noteOff', { name }) : t('attention.dnd.note', { name, until: untilText(until) })}
    </p>
  )
}
