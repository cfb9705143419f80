// Enter sends, Shift+Enter starts a new line, Up in an empty box edits my
// last message, Esc cancels a reply or an edit.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import { plainLine } from '../../../../shared/plain-text'
import { hasVisibleText } from '../../../../shared/schemas/hidden-characters'
import { api, UiError } from '../../lib/api'
import { useStore } from '../../store'
import { memberName, selectMeId } from '../../store/selectors'
import { EMPTY_DRAFT, NO_CONTEXT } from '../../store/ui'
import { Icon } from '../Icon/Icon'
import { ComposerEmoji } from './ComposerEmoji'
import { ErrorLine } from '../dialogs/ErrorLine'
import { FilePreviewDialog } from './FilePreviewDialog'
import { FormatToolbar } from './FormatToolbar'
import { useFormattingShortcuts } from './useFormattingShortcuts'
import { MentionMenu } from './MentionMenu'
import { useMentionAutocomplete } from './useMentionAutocomplete'
import { useDraftSync } from './useDraftSync'
import { AlsoSendToConversation } from '../Threads/AlsoSendToConversation'
import { ScheduledNotice } from '../Scheduled/ScheduledNotice'
import { SendLater } from '../Scheduled/SendLater'
import { useSendLater } from '../Scheduled/useSendLater'

const TYPING_RENEW_MS = 3_000

/** `threadRoot`: the thread panel's composer, replying in that thread. */
export function Composer({ conversationId, threadRoot }: { conversationId: string; threadRoot?: number }): React.JSX.Element {
  const { t } = useTranslation()
  const { key, draft, text, setText } = useDraftSync(conversationId, threadRoot)
  const conversation = useStore((s) => s.conversations[conversationId])
  const meId = useStore(selectMeId)
  const [error, setError] = useState<string | null>(null)
  const [alsoSend, setAlsoSend] = useState(false)
  const box = useRef<HTMLTextAreaElement>(null)
  const typingSent = useRef(0)
  const store = useStore.getState
  const thread = useStore((s) => s.threads[conversationId])
  const replyTo = draft.replyTo !== null ? thread?.messages.find((m) => m.seq === draft.replyTo) : undefined
  const format = useFormattingShortcuts(box, text, setText)
  const previewing = useStore((s) => s.filePreview?.conversationId === conversationId)
  const mention = useMentionAutocomplete(conversation, text, setText, box)

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
  /** Files go to the preview first; what is written in the box becomes their caption there. */
  const preview = (files: File[]): void => {
    setError(null)
    if (files.length) void store().previewFiles(conversationId, files)
  }
  const attach = async (): Promise<void> => {
    // Electron picks in main's dialog; a browser page picks with its own input.
    setError(null)
    const picked = await store().pickFiles(conversationId).catch((err: unknown) => {
      setError(err instanceof UiError ? err.message : String(err))
      return true
    })
    if (!picked) attachInput.current?.click()
  }
  const submit = async (): Promise<void> => {
    const value = text.trim()
    // Only invisible characters is as empty as only spaces: the server refuses both.
    if (!hasVisibleText(value)) return
    const refused = mention.refusal(value)
    setError(refused)
    if (refused) return
    try {
      if (threadRoot !== undefined) await store().sendInThread(conversationId, threadRoot, value, alsoSend, mention.fields(value))
      else if (draft.editing !== null) await store().edit(conversationId, draft.editing, value, mention.fields(value))
      else await store().send(conversationId, value, draft.replyTo ?? undefined, mention.fields(value))
      setText('')
      // After an edit, the draft that waited comes back; after a send, it is gone.
      store().setDraft(key, draft.editing !== null ? NO_CONTEXT : EMPTY_DRAFT)
      stopTyping()
    } catch (err) {
      setError(err instanceof UiError ? err.message : String(err))
    }
  }
  const sendLater = useSendLater({ conversationId, threadRoot, alsoInConversation: alsoSend, text, replyTo: draft.replyTo, mentions: mention, setError, sent: () => (setText(''), store().setDraft(key, EMPTY_DRAFT), stopTyping()) })
  const editLast = (): boolean => {
    const messages = store().threads[conversationId]?.messages ?? []
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!
      if (m.senderId === meId && m.kind === 'text' && !m.deletedAt) {
        store().setDraft(key, { editing: m.seq, replyTo: null })
        return true
      }
    }
    return false
  }

  return (
    <div className="composer">
      <ScheduledNotice conversationId={conversationId} />
      {threadRoot !== undefined ? <AlsoSendToConversation checked={alsoSend} onChange={setAlsoSend} /> : null}
      {threadRoot === undefined && (replyTo || draft.editing !== null) ? (
        <div className="composer-context row">
          <span className="spacer">
            {draft.editing !== null
              ? t('chat.composer.editing')
              : t('chat.composer.replying', { name: memberName(conversation, replyTo!.senderId), text: plainLine(replyTo!.text, LIMITS.replyPreviewMax) })}
          </span>
          <button
            className="icon-btn"
            aria-label={t('common.cancel')}
            onClick={() => store().setDraft(key, NO_CONTEXT)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      <ErrorLine error={error} />
      {previewing ? (
        <FilePreviewDialog
          initialCaption={text}
          onSent={() => {
            setText('')
            store().setDraft(key, EMPTY_DRAFT)
            stopTyping()
          }}
        />
      ) : null}
      <FormatToolbar format={format} />
      {mention.menu ? <MentionMenu menu={mention.menu} /> : null}
      <div className="composer-row">
        {threadRoot === undefined ? (
          <button className="icon-btn" aria-label={t('chat.composer.attach')} title={t('chat.composer.attach')} onClick={() => void attach()}>
            <Icon name="attach" size={20} />
          </button>
        ) : null}
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
            preview(files)
          }}
        />
        <ComposerEmoji box={box} onText={setText} />
        <textarea
          ref={box}
          className="composer-input"
          aria-label={threadRoot === undefined ? t('chat.composer.placeholder') : t('threads.composer.placeholder')}
          placeholder={threadRoot === undefined ? t('chat.composer.placeholder') : t('threads.composer.placeholder')}
          rows={1}
          maxLength={LIMITS.messageTextMax}
          value={text}
          {...mention.inputProps}
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
            preview(files)
          }}
          onSelect={(e) => {
            mention.onSelect(e)
            format.onSelect(e)
          }}
          onKeyDown={(e) => {
            if (mention.onKeyDown(e)) return
            if (format.onKeyDown(e)) return
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault()
              void submit()
            } else if (e.key === 'ArrowUp' && !text && draft.editing === null && threadRoot === undefined) {
              if (editLast()) e.preventDefault()
            } else if (e.key === 'Escape' && threadRoot === undefined && (draft.editing !== null || draft.replyTo !== null)) {
              e.stopPropagation()
              store().setDraft(key, NO_CONTEXT)
            }
          }}
        />
        {draft.editing === null ? <SendLater disabled={!hasVisibleText(text)} onPick={sendLater} /> : null}
        <button className="btn btn-primary" onClick={() => void submit()} disabled={!hasVisibleText(text)}>
          {draft.editing !== null ? t('common.save') : t('chat.composer.send')}
        </button>
      </div>
    </div>
  )
}
