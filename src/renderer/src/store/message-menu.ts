// Issue 20, the message menu's actions: forwarding, copy text and link,
// mark unread from here (held so the open list does not read it again at
// once), opening messenger://message links, the receipts of the Info dialog,
// and the picker's recently used emoji.
import type { PendingMessage } from '../../../shared/ipc'
import { messageLink, parseMessageLink, sameServer } from '../../../shared/message-link'
import type { MessageReceipts } from '../../../shared/schemas/receipts'
import type { MenuItemId, OtherFeatures } from './message-menu-items'
import { i18n } from '../i18n'
import { api, unwrap } from '../lib/api'
import { loadRecentEmoji, rememberEmoji } from './recent-emoji'
import type { Slice } from './types'

/** The open menu (or the reaction picker opened from it or the hover bar) of one message. */
export interface OpenMessageMenu {
  conversationId: string
  seq: number
  at: { x: number; y: number }
  mode: 'menu' | 'react'
}

export interface MessageMenuSlice {
  messageMenu: OpenMessageMenu | null
  openMessageMenu(conversationId: string, seq: number, at: { x: number; y: number }, mode?: OpenMessageMenu['mode']): void
  closeMessageMenu(): void
  /** Runs an item of a message's menu (what each does, in one place). */
  runMenuItem(id: MenuItemId, conversationId: string, seq: number): Promise<void>
  /** Asks, then deletes: the message goes for everyone, on every device. */
  deleteMessage(conversationId: string, seq: number): Promise<void>
  /** After "mark unread from here": the open list leaves this conversation unread until it is left. */
  unreadHold: { conversationId: string; seq: number } | null
  /** Unified codes, newest first, of the signed-in user. */
  recentEmoji: string[]
  markUnreadFrom(conversationId: string, seq: number): Promise<void>
  forwardMessage(from: { conversationId: string; seq: number }, to: string[]): Promise<PendingMessage[]>
  copyMessageText(conversationId: string, seq: number): Promise<void>
  /** The messenger://message link of a message, as copied. */
  messageLinkOf(conversationId: string, seq: number): string | null
  copyMessageLink(conversationId: string, seq: number): Promise<void>
  /** Opens a messenger://message link in the account of its server; false when the text is no such link. */
  openMessageLink(text: string): boolean
  loadReceipts(conversationId: string, seq: number): Promise<MessageReceipts>
  loadRecentEmoji(): void
  /** Remembers an emoji the user picked (its unified code). */
  usedEmoji(unified: string): void
}

/** After the frame in which a closed menu handed focus back (useMenu's returnFocus). */
function afterFocusReturn(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

export const createMessageMenuSlice: Slice<MessageMenuSlice> = (set, get, store) => {
  /** The hold ends when the user leaves that conversation. */
  let releasing: (() => void) | null = null
  const hold = (conversationId: string, seq: number): void => {
    releasing?.()
    set({ unreadHold: { conversationId, seq } })
    releasing = store.subscribe((s) => {
      if (s.activeId !== conversationId || s.unreadHold?.conversationId !== conversationId) {
        releasing?.()
        releasing = null
        if (get().unreadHold?.conversationId === conversationId) set({ unreadHold: null })
      }
    })
  }
  const messageOf = (conversationId: string, seq: number) => get().threads[conversationId]?.messages.find((m) => m.seq === seq)
  const meId = (): string | null => {
    const s = get().session
    return s?.status === 'signed_in' ? s.me.id : null
  }

  /** The threads, pins and saved-messages actions, when their features are in this build. */
  const features = (): OtherFeatures => get()
  const t = i18n.t

  return {
    messageMenu: null,
    openMessageMenu(conversationId, seq, at, mode = 'menu') {
      set({ messageMenu: { conversationId, seq, at, mode } })
    },
    closeMessageMenu() {
      set({ messageMenu: null })
    },
    async runMenuItem(id, conversationId, seq) {
      const s = get()
      const f = features()
      if (id !== 'react') s.closeMessageMenu()
      // A dialog opened from the menu gives focus back to the message's "…" on closing: the menu's own
      // focus return (to it) runs first, so the dialog finds it focused when it opens.
      if (id === 'forward' || id === 'info' || id === 'delete') await afterFocusReturn()
      switch (id) {
        case 'reply':
          return s.setDraft(conversationId, { replyTo: seq, editing: null })
        case 'replyInThread':
          return f.openThread?.(conversationId, seq)
        case 'react': {
          const at = s.messageMenu?.at ?? { x: 0, y: 0 }
          return s.openMessageMenu(conversationId, seq, at, 'react')
        }
        case 'copyText':
          return s.reportFailure(t('messageMenu.failed.copy'), () => s.copyMessageText(conversationId, seq))
        case 'copyLink':
          return s.reportFailure(t('messageMenu.failed.copy'), () => s.copyMessageLink(conversationId, seq))
        case 'forward':
          return s.openDialog({ kind: 'forward', conversationId, seq })
        case 'pin':
        case 'unpin': {
          const act = id === 'pin' ? f.pin : f.unpin
          if (act) await s.reportFailure(t('messageMenu.failed.pin'), () => act(conversationId, seq))
          return
        }
        case 'save':
        case 'unsave': {
          const act = id === 'save' ? f.save : f.unsave
          if (act) await s.reportFailure(t('messageMenu.failed.save'), () => act(conversationId, seq))
          return
        }
        case 'edit':
          return s.setDraft(conversationId, { editing: seq, replyTo: null })
        case 'delete':
          return s.deleteMessage(conversationId, seq)
        case 'markUnread':
          return s.reportFailure(t('messageMenu.failed.markUnread'), () => s.markUnreadFrom(conversationId, seq))
        case 'info':
          return s.openDialog({ kind: 'read-by', conversationId, seq })
      }
    },
    async deleteMessage(conversationId, seq) {
      const s = get()
      const yes = await s.confirm({ title: t('chat.delete.title'), body: t('chat.delete.body'), action: t('common.delete') })
      if (yes) await s.reportFailure(t('chat.delete.failed'), () => get().remove(conversationId, seq))
    },
    unreadHold: null,
    recentEmoji: [],
    async markUnreadFrom(conversationId, seq) {
      hold(conversationId, seq)
      try {
        await unwrap(api().messageMenu.markUnread({ conversationId, seq }))
      } catch (err) {
        set({ unreadHold: null })
        throw err
      }
    },
    forwardMessage(from, to) {
      return unwrap(api().messageMenu.forward({ from, to }))
    },
    async copyMessageText(conversationId, seq) {
      await navigator.clipboard.writeText(messageOf(conversationId, seq)?.text ?? '')
    },
    messageLinkOf(conversationId, seq) {
      const s = get().session
      return s?.status === 'signed_in' ? messageLink({ server: s.account.serverUrl, conversationId, seq }) : null
    },
    async copyMessageLink(conversationId, seq) {
      const link = get().messageLinkOf(conversationId, seq)
      if (link) await navigator.clipboard.writeText(link)
    },
    openMessageLink(text) {
      const link = parseMessageLink(text)
      if (!link) return false
      const s = get().session
      if (s?.status !== 'signed_in') return true
      const account = sameServer(s.account.serverUrl, link.server) ? s.account : s.accounts.find((a) => sameServer(a.serverUrl, link.server))
      const focus = (): void => void get().focusMessage(link.conversationId, link.seq).catch(() => undefined)
      if (!account || account.id === s.account.id) {
        if (get().conversations[link.conversationId]) focus()
        return true
      }
      // Another signed-in account's server: shown first, then its message.
      void get()
        .openAccountConversation(account.id, link.conversationId)
        .then(focus, () => undefined)
      return true
    },
    loadReceipts(conversationId, seq) {
      return unwrap(api().messages.receipts({ conversationId, seq }))
    },
    loadRecentEmoji() {
      const id = meId()
      set({ recentEmoji: id ? loadRecentEmoji(id) : [] })
    },
    usedEmoji(unified) {
      const id = meId()
      if (id) set({ recentEmoji: rememberEmoji(id, unified) })
    }
  }
}
