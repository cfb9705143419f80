import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useStore } from '../../store'
import { typingNames } from '../../store/selectors'

export function TypingIndicator({ conversationId }: { conversationId: string }): React.JSX.Element {
  const [, tick] = useState(0)
  const names = useStore(useShallow((s) => typingNames(s, conversationId)))
  // Indicators expire without an event: look again every second while one shows.
  useEffect(() => {
    if (names.length === 0) return
    const timer = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(timer)
  }, [names.length])
  const text = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`
  return (
    <div className="typing" aria-live="polite">
      {text}
    </div>
  )
}
