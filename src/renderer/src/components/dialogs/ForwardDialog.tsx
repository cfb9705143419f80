// Issue 20: forward one message to one or more conversations, found by name;
// each gets it through the outbox (sent when connected).
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { nameKey } from '../../lib/names'
import { useStore } from '../../store'
import { conversationTitle, selectConversationIds, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'
import { useShallow } from 'zustand/react/shallow'

interface Props {
  conversationId: string
  seq: number
  onClose: () => void
}

export function ForwardDialog({ conversationId, seq, onClose }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const { busy, error, run } = useAction()
  const choices = useStore(
    useShallow((s) => {
      const me = selectMeId(s)
      return selectConversationIds(s).flatMap((id) => {
        const c = s.conversations[id]
        return c ? [`${id}\u0000${conversationTitle(c, me)}`] : []
      })
    })
  )
  const shown = useMemo(() => {
    const q = nameKey(query.trim())
    return choices.map((x) => x.split('\u0000') as [string, string]).filter(([, title]) => !q || nameKey(title).includes(q))
  }, [choices, query])
  const toggle = (id: string): void => setChosen((now) => (now.includes(id) ? now.filter((x) => x !== id) : now.length < LIMITS.forwardTargetsMax ? [...now, id] : now))
  const send = (): void =>
    void run('forward', async () => {
      await useStore.getState().forwardMessage({ conversationId, seq }, chosen)
      onClose()
    })

  return (
    <Dialog title={t('messageMenu.forwardDialog.title')} onClose={onClose}>
      <input
        className="input"
        type="search"
        aria-label={t('messageMenu.forwardDialog.search')}
        placeholder={t('messageMenu.forwardDialog.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul className="list-plain dialog-list forward-list" aria-label={t('messageMenu.forwardDialog.title')}>
        {shown.map(([id, title]) => (
          <li key={id} className="dialog-row">
            <label className="spacer">
              <input type="checkbox" checked={chosen.includes(id)} onChange={() => toggle(id)} /> {title}
            </label>
          </li>
        ))}
      </ul>
      {shown.length === 0 ? <p className="muted">{t('messageMenu.forwardDialog.none')}</p> : null}
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button className="btn btn-primary" disabled={chosen.length === 0 || busy !== null} onClick={send}>
          {t('messageMenu.forwardDialog.send', { count: chosen.length })}
        </button>
      </div>
    </Dialog>
  )
}
