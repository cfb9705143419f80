// Issue 20: the menu of one message (right click, the "…" of its hover bar, or
// Shift+F10 / the context-menu key on it), and the reaction picker opened from
// it. One instance per conversation view, reading what is open from the store.
// Arrow keys move, Enter runs an item, Esc closes only the menu and focus goes
// back where it was (useMenu).
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { selectMeId } from '../../store/selectors'
import { useMenu } from '../Dialog/useMenu'
import { EmojiPickerPopover } from '../EmojiPicker/EmojiPicker'
import { menuItems, type MenuItemId } from '../../store/message-menu-items'

const store = useStore.getState

const ITEM_LABEL: Record<MenuItemId, `messageMenu.${MenuItemId}`> = {
  reply: 'messageMenu.reply',
  replyInThread: 'messageMenu.replyInThread',
  react: 'messageMenu.react',
  copyText: 'messageMenu.copyText',
  copyLink: 'messageMenu.copyLink',
  forward: 'messageMenu.forward',
  pin: 'messageMenu.pin',
  unpin: 'messageMenu.unpin',
  save: 'messageMenu.save',
  unsave: 'messageMenu.unsave',
  edit: 'messageMenu.edit',
  delete: 'messageMenu.delete',
  markUnread: 'messageMenu.markUnread',
  info: 'messageMenu.info'
}

const MENU_WIDTH = 240

function Menu({ conversationId, seq, at }: { conversationId: string; seq: number; at: { x: number; y: number } }): React.JSX.Element | null {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  useMenu(ref, () => store().closeMessageMenu())
  const items = useStore(
    useShallow((s) => {
      const message = s.threads[conversationId]?.messages.find((m) => m.seq === seq)
      const conversation = s.conversations[conversationId]
      if (!message || !conversation) return []
      return menuItems({ message, conversation, meId: selectMeId(s), features: s })
    })
  )
  // Kept on screen: opened near the bottom or the right edge, it opens up or left.
  const height = items.length * 32 + 8
  const left = Math.max(8, Math.min(at.x, window.innerWidth - MENU_WIDTH - 8))
  const top = Math.max(8, Math.min(at.y, window.innerHeight - height - 8))
  return (
    <div ref={ref} className="message-menu" role="menu" aria-label={t('messageMenu.menuLabel')} style={{ left, top, width: MENU_WIDTH }}>
      {items.map((id) => (
        <button
          key={id}
          role="menuitem"
          className={`message-menu-item${id === 'delete' ? ' danger' : ''}`}
          data-item={id}
          onClick={() => void store().runMenuItem(id, conversationId, seq)}
        >
          {t(ITEM_LABEL[id])}
        </button>
      ))}
    </div>
  )
}

export function MessageMenu({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const open = useStore((s) => (s.messageMenu?.conversationId === conversationId ? s.messageMenu : null))
  if (!open) return null
  if (open.mode === 'react') {
    return (
      <EmojiPickerPopover
        at={open.at}
        onClose={() => {
          store().closeMessageMenu()
          focusMore(open.seq)
        }}
        onPick={({ emoji }) => {
          store().closeMessageMenu()
          focusMore(open.seq)
          void store().reportFailure(i18n.t('chat.reactions.notAdded'), () => store().react(open.conversationId, open.seq, emoji))
        }}
      />
    )
  }
  return <Menu key={`${open.conversationId}:${open.seq}:${open.at.x}:${open.at.y}`} conversationId={open.conversationId} seq={open.seq} at={open.at} />
}

/** Focus back on the message (its "…" button) once the picker it opened has gone. */
function focusMore(seq: number): void {
  setTimeout(() => document.querySelector<HTMLElement>(`.message-row[data-seq="${seq}"] [data-more]`)?.focus(), 0)
}

/** Where a menu opens for an event: at the pointer, or under the focused element for the keyboard (no pointer position). */
export function menuPosition(e: { clientX: number; clientY: number; currentTarget: Element; target: EventTarget }): { x: number; y: number } {
  if (e.clientX || e.clientY) return { x: e.clientX, y: e.clientY }
  const el = e.target instanceof Element ? e.target : e.currentTarget
  const r = el.getBoundingClientRect()
  return { x: r.left, y: r.bottom }
}
