import { useStore } from '../../store'
import { selectMeId } from '../../store/selectors'

export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉']

export function Reactions({ conversationId, seq, reactions }: { conversationId: string; seq: number; reactions: Record<string, string[]> }): React.JSX.Element | null {
  const meId = useStore(selectMeId)
  const entries = Object.entries(reactions)
  if (entries.length === 0) return null
  return (
    <div className="reactions">
      {entries.map(([emoji, who]) => (
        <button
          key={emoji}
          className={`reaction${meId && who.includes(meId) ? ' mine' : ''}`}
          aria-label={`${emoji} ${who.length}${meId && who.includes(meId) ? ', including you: click to take back' : ': click to react too'}`}
          onClick={() => void useStore.getState().reportFailure('The reaction was not changed', () => useStore.getState().react(conversationId, seq, emoji))}
        >
          {emoji} {who.length}
        </button>
      ))}
    </div>
  )
}
