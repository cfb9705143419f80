// The open conversation's history, virtualized: only the rows on screen are
// in the DOM, so a 100k-message conversation scrolls like a short one. Older
// pages load when the top is reached; live messages follow when at the bottom.
import { inConversation } from '../../../../shared/threads'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Virtuoso, type ItemProps, type VirtuosoHandle } from 'react-virtuoso'
import type { PendingMessage } from '../../../../shared/ipc'
import type { Message } from '../../../../shared/schemas/messages'
import { sameDay } from '../../lib/format'
import { api } from '../../lib/api'
import { useStore } from '../../store'
import { selectMeId } from '../../store/selectors'
import { Icon } from '../Icon/Icon'
import { MessageItem } from './MessageItem'
import { PendingItem } from './PendingItem'

const GROUP_MS = 5 * 60_000
const NO_PENDING: PendingMessage[] = []

type Row = { kind: 'message'; message: Message } | { kind: 'pending'; pending: PendingMessage }
/** One row object per message or unsent message, kept while it is: a new page makes rows only for itself. */
const rowCache = new WeakMap<Message | PendingMessage, Row>()
function rowOf(x: Message | PendingMessage, kind: Row['kind']): Row {
  let row = rowCache.get(x)
  if (!row) rowCache.set(x, (row = kind === 'message' ? { kind, message: x as Message } : { kind, pending: x as PendingMessage }))
  return row
}
const itemKey = (_i: number, row: Row): string => (row.kind === 'message' ? `m${row.message.seq}` : `p${row.pending.clientId}`)
/** Where the list opens: at its end, or with the row of the initial index at the top or in the middle. */
type Placement = 'end' | 'start' | 'center'

/**
 * Virtuoso's item wrapper as a block formatting context: the rows' vertical margins stay inside
 * it, so the size Virtuoso measures is the space the row takes (margins collapsing through the
 * wrapper are not in its measurement: every size was off by them, and the list opened short of
 * its end).
 */
function Item({ children, item: _item, ...props }: ItemProps<Row> & { context?: unknown }): React.JSX.Element {
  const { context: _context, ...rest } = props
  return (
    <div {...rest} style={{ ...rest.style, display: 'flow-root' }}>
      {children}
    </div>
  )
}
const COMPONENTS = { Item }
const HIDDEN: React.CSSProperties = { visibility: 'hidden' }
/** Longest the list stays hidden while it is being placed; it goes on being placed, shown, until PLACE_MAX_MS. */
const PLACE_MS = 500
const PLACE_MAX_MS = 2000
/** Frames the end must hold, its height unchanged, before the list is shown there: rows above it still being measured move it. */
const SETTLED_FRAMES = 3

export function MessageList({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const conversation = useStore((s) => s.conversations[conversationId])
  const thread = useStore((s) => s.threads[conversationId])
  // Unsent messages go after the newest message: not after a window that ends before it.
  const pending = useStore((s) => (s.threads[conversationId]?.atLatest ? (s.pending[conversationId] ?? NO_PENDING) : NO_PENDING))
  const meId = useStore(selectMeId)
  const focus = useStore((s) => (s.focusSeq?.conversationId === conversationId ? s.focusSeq.seq : null))
  const virtuoso = useRef<VirtuosoHandle>(null)
  const [atBottom, setAtBottom] = useState(false)
  // This list is mounted afresh for each loaded window (see ConversationView's key), so
  // values fixed at mount are fixed for the window: where "New messages" goes (after
  // what was read at opening) and the first seq loaded (rows before it were prepended).
  const [readAtOpen] = useState(() => useStore.getState().conversations[conversationId]?.readSeq ?? 0)
  const messages = useMemo(() => thread?.messages ?? [], [thread])

  const rows = useMemo<Row[]>(() => {
    // An unsent reply only in its thread shows in the thread panel, not here.
    const shown = pending.filter(inConversation)
    const out = new Array<Row>(messages.length + shown.length)
    for (let i = 0; i < messages.length; i++) out[i] = rowOf(messages[i]!, 'message')
    for (let i = 0; i < shown.length; i++) out[messages.length + i] = rowOf(shown[i]!, 'pending')
    return out
  }, [messages, pending])
  // The window's own count: down by a prepended page, up by rows dropped from its top.
  const firstItemIndex = thread?.firstIndex ?? 0
  const startReached = useCallback(() => void useStore.getState().loadOlder(conversationId), [conversationId])
  const endReached = useCallback(() => void useStore.getState().loadNewer(conversationId), [conversationId])
  // Live messages are followed at the bottom; a newer page appended to a window behind them is not
  // (it would jump a page ahead). As of the last commit: the render that appends it still sees false.
  const wasAtLatest = useRef(thread?.atLatest ?? false)
  useEffect(() => {
    wasAtLatest.current = thread?.atLatest ?? false
  }, [thread?.atLatest])
  const followOutput = useCallback((bottom: boolean) => (bottom && wasAtLatest.current ? 'auto' : false), [])

  // Mark read when the newest message is on screen and the window is in front.
  const lastSeq = messages[messages.length - 1]?.seq ?? 0
  // Marked unread from a message (issue 20): left unread until the user leaves the conversation.
  const held = useStore((s) => s.unreadHold?.conversationId === conversationId)
  useEffect(() => {
    if (!conversation || held || !atBottom || !thread?.atLatest || lastSeq <= conversation.readSeq) return
    if (document.visibilityState !== 'visible') return
    void api().conversations.markRead({ conversationId, seq: lastSeq })
  }, [atBottom, lastSeq, conversation, conversationId, thread?.atLatest, held])

  // Once per message to focus: pages loaded afterwards (scrolling on from it) do not pull the list back.
  const focused = useRef<number | null>(null)
  useEffect(() => {
    if (focus === null || focused.current === focus) return
    const index = messages.findIndex((m) => m.seq === focus)
    if (index < 0) return
    focused.current = focus
    virtuoso.current?.scrollToIndex({ index, align: 'center' })
  }, [focus, messages])

  const [initialIndex] = useState(() => {
    const target = focus ?? (readAtOpen < (messages[messages.length - 1]?.seq ?? 0) ? readAtOpen + 1 : null)
    const index = target === null ? -1 : messages.findIndex((m) => m.seq === target)
    return index >= 0 ? index : Math.max(0, rows.length - 1)
  })

  // The list opens at its end, or with a row in view: the first unread message at the top,
  // a search result in the middle. It does not use Virtuoso's initialTopMostItemIndex, which
  // keeps the list hidden for 4 frames after the first sizes are known and then until 150 ms
  // pass without a size change after its scroll (about 300 ms in all). Instead the list is
  // hidden while it is moved there, once a frame, and shown in the first frame that starts
  // with it there and rows covering the viewport (about 4 frames).
  const [placement] = useState<Placement>(() => (initialIndex === rows.length - 1 ? 'end' : focus !== null ? 'center' : 'start'))
  const [placed, setPlaced] = useState(false)
  const scroller = useRef<HTMLElement | null>(null)
  const wrap = useRef<HTMLDivElement>(null)
  const [targetSeq] = useState(() => messages[initialIndex]?.seq ?? 0)
  const lastIndex = useRef(rows.length - 1)
  const loaded = useRef(messages)
  useEffect(() => {
    lastIndex.current = rows.length - 1
    loaded.current = messages
  }, [rows.length, messages])
  const setScroller = useCallback((el: HTMLElement | Window | null) => {
    scroller.current = el instanceof HTMLElement ? el : null
  }, [])
  useEffect(() => {
    const started = performance.now()
    let frame = 0
    let frames = 0
    let askedAt = -Infinity
    let settled = 0
    let lastHeight = -1
    // Now, in this frame (React's render would come a frame later).
    const reveal = (): void => void wrap.current?.style.removeProperty('visibility')
    const show = (): void => {
      reveal()
      setPlaced(true)
    }
    const step = (): void => {
      frames++
      const el = scroller.current
      if (el && placement === 'end') {
        if (atEnd(el, lastIndex.current)) {
          settled = el.scrollHeight === lastHeight ? settled + 1 : 0
          lastHeight = el.scrollHeight
          if (settled >= SETTLED_FRAMES) return show()
        } else el.scrollTop = el.scrollHeight
      } else if (el && el.querySelector('[data-index]')) {
        // By seq: an older page may have been prepended meanwhile.
        const row = el.querySelector(`[data-seq="${targetSeq}"]`)?.closest('[data-index]')
        if (!row) {
          // Not rendered yet: jump by the rendered rows' mean height, the next frames correct it.
          const index = loaded.current.findIndex((m) => m.seq === targetSeq)
          if (index >= 0 && frames - askedAt >= 2) {
            el.scrollTop = estimateTop(el, index) - (placement === 'center' ? el.clientHeight / 2 : 0)
            askedAt = frames
          }
        } else {
          const view = el.getBoundingClientRect()
          const r = row.getBoundingClientRect()
          const delta = placement === 'start' ? r.top - view.top : r.top + r.height / 2 - (view.top + view.height / 2)
          const stuck = (delta > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 1) || (delta < 0 && el.scrollTop <= 0)
          if ((Math.abs(delta) <= 2 || stuck) && covered(el, lastIndex.current)) return show()
          el.scrollTop += delta
        }
      }
      // A slow machine: shown where it is, still moved there (or it would stay short of its end).
      const waited = performance.now() - started
      if (waited > PLACE_MS) reveal()
      if (waited > PLACE_MAX_MS) return show()
      frame = requestAnimationFrame(step)
    }
    frame = requestAnimationFrame(step)
    return () => cancelAnimationFrame(frame)
  }, [placement, targetSeq])

  const itemContent = useCallback(
    (index: number, row: Row) => {
      if (!conversation) return null
      if (row.kind === 'pending') return <PendingItem pending={row.pending} />
      const m = row.message
      const i = index - firstItemIndex
      const prev = i > 0 ? messages[i - 1] : undefined
      const newDay = !prev || !sameDay(new Date(prev.createdAt), new Date(m.createdAt))
      const grouped = !!prev && !newDay && prev.kind === 'text' && m.kind === 'text' && prev.senderId === m.senderId && Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS
      const newDivider = m.seq === readAtOpen + 1 && m.senderId !== meId
      return <MessageItem message={m} conversation={conversation} meId={meId} grouped={grouped} daySeparator={newDay} newDivider={newDivider} highlighted={focus === m.seq} />
    },
    [conversation, firstItemIndex, messages, meId, focus, readAtOpen]
  )

  if (!thread) return <div className="message-list-empty muted">{t('common.loading')}</div>
  if (rows.length === 0) return <div className="message-list-empty muted">{t('chat.emptyThread')}</div>
  return (
    <div className="message-list-wrap" ref={wrap} style={placed ? undefined : HIDDEN}>
      <Virtuoso
        ref={virtuoso}
        className="message-list"
        role="log"
        aria-label={t('chat.messages')}
        data={rows}
        firstItemIndex={firstItemIndex}
        scrollerRef={setScroller}
        computeItemKey={itemKey}
        itemContent={itemContent}
        startReached={startReached}
        endReached={endReached}
        followOutput={followOutput}
        atBottomStateChange={setAtBottom}
        atBottomThreshold={48}
        increaseViewportBy={{ top: 600, bottom: 300 }}
        components={COMPONENTS}
        // While it is placed, sizes are taken in the ResizeObserver callback, not a frame later:
        // the list is shown a frame sooner. Not after: while scrolling, that re-measures in a loop.
        skipAnimationFrameInResizeObserver={!placed}
      />
      {!atBottom || !thread.atLatest ? (
        <button
          className="btn jump-latest"
          onClick={() => {
            if (!thread.atLatest) void useStore.getState().loadLatest(conversationId)
            else virtuoso.current?.scrollToIndex({ index: rows.length - 1, align: 'end' })
          }}
        >
          <Icon name="down" size={16} /> {t('chat.jumpToLatest')}
        </button>
      ) : null}
    </div>
  )
}

/** Scrolled to the bottom, with the last row rendered and rows from the top of the viewport down. */
function atEnd(el: HTMLElement, lastIndex: number): boolean {
  if (el.scrollTop + el.clientHeight < el.scrollHeight - 1) return false
  const items = el.querySelectorAll('[data-index]')
  const last = items[items.length - 1]
  return !!last && Number(last.getAttribute('data-index')) === lastIndex && covered(el, lastIndex)
}

/** Where the row of `index` probably starts in the list, from the rendered rows. */
function estimateTop(el: HTMLElement, index: number): number {
  const items = el.querySelectorAll('[data-index]')
  const first = items[0]!
  const last = items[items.length - 1]!
  const from = Number(first.getAttribute('data-index'))
  const to = Number(last.getAttribute('data-index'))
  const top = first.getBoundingClientRect().top
  const mean = (last.getBoundingClientRect().bottom - top) / (to - from + 1)
  return el.scrollTop + (top - el.getBoundingClientRect().top) + (index - from) * mean
}

/** Rendered rows over the whole viewport, or up to an end of the list within it. */
function covered(el: HTMLElement, lastIndex: number): boolean {
  const items = el.querySelectorAll('[data-index]')
  const first = items[0]
  const last = items[items.length - 1]
  if (!first || !last) return false
  const view = el.getBoundingClientRect()
  const top = first.getBoundingClientRect().top <= view.top + 1 || el.scrollTop <= 0
  const bottom = last.getBoundingClientRect().bottom >= view.bottom - 1 || Number(last.getAttribute('data-index')) === lastIndex
  return top && bottom
}
