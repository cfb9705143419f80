// Search all messages; a result opens its conversation at that message.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SearchResponse } from '../../../../shared/schemas/search'
import { plainText } from '../../../../shared/plain-text'
import { api, unwrap } from '../../lib/api'
import { stamp } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, memberName, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { Highlight } from './Highlight'
import { errorText, useAction } from './useAction'

type Result = SearchResponse['results'][number]

interface Found {
  query: string
  results: Result[]
  nextBefore: string | null
  error: string | null
}

const LIMIT = 30
const keyOf = (r: Result): string => `${r.conversationId}:${r.message.seq}`

export function SearchDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [query, setQuery] = useState('')
  const [found, setFound] = useState<Found | null>(null)
  const { busy, error, run } = useAction()
  const conversations = useStore((s) => s.conversations)
  const meId = useStore(selectMeId)

  // Search once typing pauses (Enter searches at once).
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim().slice(0, 200)), 350)
    return () => clearTimeout(timer)
  }, [text])

  useEffect(() => {
    if (!query) return
    let live = true
    unwrap(api().messages.search({ query, limit: LIMIT })).then(
      (r) => {
        if (live) setFound({ query, results: r.results, nextBefore: r.nextBefore, error: null })
      },
      (err: unknown) => {
        if (live) setFound({ query, results: [], nextBefore: null, error: errorText(err) })
      }
    )
    return () => {
      live = false
    }
  }, [query])

  const more = (): void => {
    const current = found
    const before = current?.nextBefore
    if (!current || !before) return
    void run('more', async () => {
      const r = await unwrap(api().messages.search({ query: current.query, before, limit: LIMIT }))
      setFound((f) => {
        if (!f || f.query !== current.query) return f
        const seen = new Set(f.results.map(keyOf))
        return { ...f, results: [...f.results, ...r.results.filter((x) => !seen.has(keyOf(x)))], nextBefore: r.nextBefore }
      })
    })
  }
  const open = (r: Result): void => {
    void run(r.message.id, () => useStore.getState().focusMessage(r.conversationId, r.message.seq))
  }

  const shown = query && found?.query === query ? found : null
  return (
    <Dialog title={t('shell.sidebar.search')} onClose={onClose} wide>
      <label className="field">
        <span>{t('dialogs.search.for')}</span>
        <input
          className="input"
          type="search"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setQuery(text.trim().slice(0, 200))
          }}
        />
      </label>
      <ErrorLine error={shown?.error ?? error} />
      {query && !shown ? <p className="muted" role="status">{t('dialogs.search.searching')}</p> : null}
      {shown && !shown.error && shown.results.length === 0 ? <p className="muted" role="status">{t('dialogs.search.none')}</p> : null}
      {shown?.results.length ? (
        <ul className="list-plain dialog-list" aria-label={t('dialogs.search.results')}>
          {shown.results.map((r) => {
            const c = conversations[r.conversationId]
            return (
              <li key={keyOf(r)}>
                <button type="button" className="dialog-item search-result" disabled={busy !== null} onClick={() => open(r)}>
                  <span className="row">
                    <span className="dialog-item-title">{c ? conversationTitle(c, meId) : t('dialogs.search.left')}</span>
                    <span className="spacer" />
                    <span className="muted">
                      {stamp(r.message.createdAt)}
                    </span>
                  </span>
                  <span className="search-text">
                    <span className="search-sender">{t('dialogs.search.sender', { name: r.message.senderId === meId ? t('dialogs.search.you') : memberName(c, r.message.senderId) })}</span>
                    <Highlight text={plainText(r.message.text)} query={shown.query} />
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
      ) : null}
      {shown?.nextBefore ? (
        <button type="button" className="btn" disabled={busy !== null} onClick={more}>
          {busy === 'more' ? t('common.loading') : t('dialogs.search.more')}
        </button>
      ) : null}
    </Dialog>
  )
}
