import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { nameList } from '../../lib/format'
import { useStore } from '../../store'
import { typingNames } from '../../store/selectors'

export function TypingIndicator({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const [, tick] = useState(0)
  const names = useStore(useShallow((s) => typingNames(s, conversationId)))
  // Indicators expire without an event: look again every second while one shows.
  useEffect(() => {
    if (names.length === 0) return
    const timer = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(timer)
  }, [names.length])
  const text = names.length === 0 ? '' : t('chat.typing', { count: names.length, names: nameList(names) })
  return (
    <div className="typing" aria-live="polite">
      {text}
    </div>
  )
}
