// Enter sends, Shift+Enter starts a new line, Up in an empty box edits my
// last message, Esc cancels a reply or an edit.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { hasVisibleText } from '../../../../shared/schemas/hidden-characters'
import { api, UiError } from '../../lib/api'
import { useStore } from '../../store'
import { memberName, selectMeId } from '../../store/selectors'
import { EMPTY_DRAFT } from '../../store/ui'
import { Icon } from '../Icon/Icon'
import { ComposerEmoji } from './ComposerEmoji'
import { ErrorLine } from '../dialogs/ErrorLine'

const TYPING_RENEW_MS = 3_000

export function Composer({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const draft = useStore((s) => s.drafts[conversationId] ?? EMPTY_DRAFT)
  const conversation = useStore((s) => s.conversations[conversationId])
  const meId = useStore(selectMeId)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  const typingSent = useRef(0)
  const store = useStore.getState
  const thread = useStore((s) => s.threads[conversationId])
  const replyTo = draft.replyTo !== null ? thread?.messages.find((m) => m.seq === draft.replyTo) : undefined

  // Starting an edit puts the message's text in the box (an adjustment during render, not an effect).
  const [editingShown, setEditingShown] = useState<number | null>(null)
  if (draft.editing !== editingShown) {
    setEditingShown(draft.editing)
    const m = draft.editing === null ? undefined : thread?.messages.find((x) => x.seq === draft.editing)
    if (m) setText(m.text)
  }
  useEffect(() => {
    if (draft.editing !== null) box.current?.focus()
  }, [draft.editing])
  useEffect(() => {
    if (draft.replyTo !== null) box.current?.focus()
  }, [draft.replyTo])

  const stopTyping = (): void => {
    if (typingSent.current) void api().typing.stop({ conversationId })
    typingSent.current = 0
  }
  const attachInput = useRef<HTMLInputElement>(null)
  /** Sends files with what is written in the box (the text goes with them). */
  const sendFiles = async (send: () => Promise<boolean | void>): Promise<void> => {
    setError(null)
    try {
      if ((await send()) === false) return
      setText('')
      store().setDraft(conversationId, EMPTY_DRAFT)
      stopTyping()
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
    }
  }
  const attach = async (): Promise<void> => {
    // Electron picks in main's dialog; a browser page picks with its own input.
    const picked = await store().pickAndSend(conversationId, text.trim()).catch((err: unknown) => {
      setError(err instanceof UiError ? err.message : String(err))
      return true
    })
    if (picked) {
      setText('')
      return
    }
    attachInput.current?.click()
  }
  const submit = async (): Promise<void> => {
    const value = text.trim()
    // Only invisible characters is as empty as only spaces: the server refuses both.
    if (!hasVisibleText(value)) return
    setError(null)
    try {
      if (draft.editing !== null) await store().edit(conversationId, draft.editing, value)
      else await store().send(conversationId, value, draft.replyTo ?? undefined)
      setText('')
      store().setDraft(conversationId, EMPTY_DRAFT)
      stopTyping()
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
    }
  }
  const editLast = (): boolean => {
    const messages = store().threads[conversationId]?.messages ?? []
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!
      if (m.senderId === meId && m.kind === 'text' && !m.deletedAt) {
        store().setDraft(conversationId, { editing: m.seq, replyTo: null })
        return true
      }
    }
    return false
  }

  return (
    <div className="composer">
      {replyTo || draft.editing !== null ? (
        <div className="composer-context row">
          <span className="spacer">
            {draft.editing !== null
              ? t('chat.composer.editing')
              : t('chat.composer.replying', { name: memberName(conversation, replyTo!.senderId), text: replyTo!.text.slice(0, LIMITS.replyPreviewMax) })}
          </span>
          <button
            className="icon-btn"
            aria-label={t('common.cancel')}
            onClick={() => {
              store().setDraft(conversationId, EMPTY_DRAFT)
              if (draft.editing !== null) setText('')
            }}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      <ErrorLine error={error} />
      <div className="composer-row">
        <button className="icon-btn" aria-label={t('chat.composer.attach')} title={t('chat.composer.attach')} onClick={() => void attach()}>
          <Icon name="attach" size={20} />
        </button>
        <input
          ref={attachInput}
          type="file"
          multiple
          hidden
          aria-label={t('chat.composer.chooseFiles')}
          data-testid="attach-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            if (files.length) void sendFiles(() => store().sendBlobs(conversationId, files, text.trim()))
          }}
        />
        <ComposerEmoji box={box} onText={setText} />
        <textarea
          ref={box}
          className="composer-input"
          aria-label={t('chat.composer.placeholder')}
          placeholder={t('chat.composer.placeholder')}
          rows={1}
          maxLength={LIMITS.messageTextMax}
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            const now = Date.now()
            if (e.target.value && now - typingSent.current > TYPING_RENEW_MS) {
              typingSent.current = now
              void api().typing.start({ conversationId })
            }
            if (!e.target.value) stopTyping()
          }}
          onBlur={stopTyping}
          onPaste={(e) => {
            // A pasted image (a screenshot) is sent as a file; pasted text stays text.
            const files = [...e.clipboardData.files]
            if (!files.length) return
            e.preventDefault()
            void sendFiles(() => store().sendBlobs(conversationId, files, text.trim()))
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault()
              void submit()
            } else if (e.key === 'ArrowUp' && !text && draft.editing === null) {
              if (editLast()) e.preventDefault()
            } else if (e.key === 'Escape' && (draft.editing !== null || draft.replyTo !== null)) {
              e.stopPropagation()
              store().setDraft(conversationId, EMPTY_DRAFT)
              if (draft.editing !== null) setText('')
            }
          }}
        />
        <button className="btn btn-primary" onClick={() => void submit()} disabled={!hasVisibleText(text)}>
          {draft.editing !== null ? t('common.save') : t('chat.composer.send')}
        </button>
      </div>
    </div>
  )
}
