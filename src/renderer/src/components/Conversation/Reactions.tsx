import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { selectMeId } from '../../store/selectors'

export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉']

export function Reactions({ conversationId, seq, reactions }: { conversationId: string; seq: number; reactions: Record<string, string[]> }): React.JSX.Element | null {
  // Re-rendered in a new language with its message row (see useLanguage).
  const t = i18n.t
  const meId = useStore(selectMeId)
  const entries = Object.entries(reactions)
  if (entries.length === 0) return null
  return (
    <div className="reactions">
      {entries.map(([emoji, who]) => (
        <button
          key={emoji}
          className={`reaction${meId && who.includes(meId) ? ' mine' : ''}`}
          aria-label={meId && who.includes(meId) ? t('chat.reactions.mine', { emoji, count: who.length }) : t('chat.reactions.others', { emoji, count: who.length })}
          onClick={() => void useStore.getState().reportFailure(t('chat.reactions.notChanged'), () => useStore.getState().react(conversationId, seq, emoji))}
        >
          {emoji} {who.length}
        </button>
      ))}
    </div>
  )
}
