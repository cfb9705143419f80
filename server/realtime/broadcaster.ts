import type { Message } from '../../src/shared/schemas/messages'
import type { ReceiptUpdate } from '../../src/shared/schemas/receipts'
import type { Logger } from 'pino'
import type { ServerMetrics } from '../metrics/metrics'
import type { Services } from '../services'
import type { ConversationRecord } from '../store/records'
import type { Conversation, ConversationKind } from '../../src/shared/schemas/conversations'
import type { GroupChange } from '../services/groups.service'
import type { ContactChange } from '../services/contacts.service'
import type { UserGroupChange } from '../services/user-groups.service'
import type { ThreadChange } from '../services/threads.service'
import { announceContactChange } from './contacts.broadcast'
import { announcePins, announceSaved } from './pins.broadcast'
import type { Pin } from '../../src/shared/schemas/pins'
import type { SavedItem } from '../../src/shared/schemas/saved'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import { conversationRoom, sessionRoom, userRoom, type IoServer } from './types'

/** What REST and socket handlers tell connected clients after a change succeeded. */
export interface Broadcaster {
  /** To every member's sockets, new or found again by a retry; `exceptSocketId` already has the ack. */
  messageCreated(message: Message, exceptSocketId?: string): void
  /** An edit, deletion or reaction: to every member's sockets. */
  messageUpdated(message: Message): void
  /** A thread changed: its root's new summary to the members (message:updated), each follower's view to their devices (thread:updated). */
  threadChanged(change: ThreadChange | undefined): void
  /**
   * Resolves once every member's sockets are in the conversation's room (on
   * every node: the join is published before anything sent after it); their
   * views of it follow. Routes await it before answering, so a message sent
   * right after the creation reaches everyone live.
   */
  conversationCreated(conversation: ConversationRecord): Promise<void>
  sessionRevoked(sessionId: string): void
  /** Every session of a user ended (disabled, password reset): all their sockets go. */
  userSignedOut(userId: string): void
  historyCleared(userId: string, conversationId: string, clearedSeq: number): void
  /** Issue 20: the caller's read position went back (mark unread): their devices get their new view (badge, readSeq). */
  readPositionChanged(userId: string, conversation: Conversation): void
  /** Retention moved a conversation's floor: to every member's sockets. */
  historyExpired(conversationId: string, expiredSeq: number): void
  /** A member's read/delivered cursor moved: ticks for the others, badges for their own devices (of a room: only those). */
  receiptMoved(update: ReceiptUpdate, kind: ConversationKind): void
  /** Applies a group change to who hears the conversation (resolving then, as conversationCreated), then tells everyone concerned. */
  groupChanged(change: GroupChange): Promise<void>
  /** Invitations sent or answered, contacts made or ended: told to both people. */
  contactsChanged(change: ContactChange): void
  /** A user group was made, changed or deleted: to every signed-in user. */
  userGroupsChanged(change: UserGroupChange): void
  /** The user's own profile or role changed: every device of theirs gets the new state. */
  accountChanged(userId: string): Promise<void>
  /** Resolves once the announcements under way have finished (the server waits before closing its store). */
  settled(): Promise<void>
  /** Issue 20: a conversation's pins changed: the whole list to its members. */
  pinsChanged(conversationId: string, pins: Pin[]): void
  /** Issue 20: the user saved or unsaved a message: to all their devices. */
  savedChanged(userId: string, change: { added?: SavedItem; removed?: { conversationId: string; seq: number } }): void
  /** Told of members who left or were removed (or whose conversation was deleted), once they no longer hear it: their calls there end for them. */
  onMembersRemoved: ((conversationId: string, userIds: string[]) => Promise<void>) | null
}

export function createBroadcaster(io: IoServer, services: Services, log: Logger, metrics: ServerMetrics | null = null): Broadcaster {
  const localRooms = io.of('/').adapter.rooms
  /**
   * Counts a message:new to a conversation's room: one Map look-up per
   * broadcast, never per socket (fan-out speed). This node's sockets only:
   * with several nodes, each counts what it broadcasts to its own.
   */
  const delivered = metrics
    ? (room: string, except?: string): void => {
        const sockets = localRooms.get(room)
        if (sockets) metrics.deliveries.inc(sockets.size - (except !== undefined && sockets.has(except) ? 1 : 0))
      }
    : null

  // Announcements that move sockets in or out of a conversation's room run in
  // order per conversation: a removal announced while the creation's
  // admissions still await their views must not be undone by them.
  const rooms = new OneAtATimePerKey()

  /**
   * Runs a room change in the conversation's turn: resolves once `work` calls
   * `applied` (who hears the room is settled) or ends; the rest goes on.
   */
  function inTurn(conversationId: string, work: (applied: () => void) => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      void rooms.run(conversationId, () => work(resolve).finally(resolve))
    })
  }

  /** Hands each newly admitted member their view of the conversation (their sockets already joined its room). */
  async function welcome(conversation: ConversationRecord, userIds: Iterable<string>): Promise<void> {
    for (const userId of userIds) {
      io.to(userRoom(userId)).emit('conversation:new', { conversation: await services.conversations.view(conversation, userId) })
    }
  }

  async function announceGroupChange({ conversation, messages, added, removed, deleted, settingsChanged }: GroupChange, applied: () => void): Promise<void> {
    const room = conversationRoom(conversation.id)
    try {
      // Access changes first, so a removed member's sockets hear nothing more.
      for (const { userId, reason } of removed) {
        io.in(userRoom(userId)).socketsLeave(room)
        io.to(userRoom(userId)).emit('conversation:removed', { conversationId: conversation.id, reason })
      }
      // Settled before the change is answered: a deleted or left conversation has no call left in it.
      if (removed.length > 0) await broadcaster.onMembersRemoved?.(conversation.id, removed.map((r) => r.userId))
      if (deleted) return
      for (const userId of added) io.in(userRoom(userId)).socketsJoin(room)
      applied()
      await welcome(conversation, added)
      for (const message of messages) {
        io.to(room).emit('message:new', { message })
        delivered?.(room)
      }
      if (messages.length === 0 && !settingsChanged) return
      const newcomers = new Set(added)
      for (const userId of await services.conversations.memberIds(conversation.id)) {
        if (newcomers.has(userId)) continue
        const view = await services.conversations.view(conversation, userId)
        io.to(userRoom(userId)).emit('conversation:updated', { conversation: view })
      }
    } catch (err) {
      log.error({ err, conversationId: conversation.id }, 'could not announce a group change')
    }
  }

  const broadcaster: Broadcaster = {
    onMembersRemoved: null,
    contactsChanged: (change) => announceContactChange(io, change),
    // Every socket is signed in (the handshake checks its token): all of them hear it.
    userGroupsChanged: (change) => void io.emit('user-groups:updated', change),
    pinsChanged: (conversationId, pins) => announcePins(io, conversationId, pins),
    savedChanged: (userId, change) => announceSaved(io, userId, change),
    messageCreated(message, exceptSocketId) {
      const name = conversationRoom(message.conversationId)
      const room = io.to(name)
      ;(exceptSocketId ? room.except(exceptSocketId) : room).emit('message:new', { message })
      delivered?.(name, exceptSocketId)
    },
    messageUpdated(message) {
      io.to(conversationRoom(message.conversationId)).emit('message:updated', { message })
    },
    threadChanged(change) {
      if (!change) return
      if (change.root) broadcaster.messageUpdated(change.root)
      for (const { userId, thread, following } of change.updates) io.to(userRoom(userId)).emit('thread:updated', { thread, following })
    },
    conversationCreated(conversation) {
      return inTurn(conversation.id, async (applied) => {
        try {
          const members = await services.conversations.memberIds(conversation.id)
          for (const userId of members) io.in(userRoom(userId)).socketsJoin(conversationRoom(conversation.id))
          applied()
          await welcome(conversation, members)
        } catch (err) {
          log.error({ err, conversationId: conversation.id }, 'could not announce a new conversation')
        }
      })
    },
    receiptMoved(update, kind) {
      // In public rooms only the reader's own devices hear it: receipts to everyone would not scale.
      const to = kind === 'room' ? userRoom(update.userId) : conversationRoom(update.conversationId)
      io.to(to).emit('receipt:update', update)
    },
    historyCleared(userId, conversationId, clearedSeq) {
      io.to(userRoom(userId)).emit('conversation:cleared', { conversationId, clearedSeq })
    },
    readPositionChanged(userId, conversation) {
      io.to(userRoom(userId)).emit('conversation:updated', { conversation })
    },
    historyExpired(conversationId, expiredSeq) {
      io.to(conversationRoom(conversationId)).emit('conversation:expired', { conversationId, expiredSeq })
    },
    sessionRevoked(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true)
    },
    userSignedOut(userId) {
      io.in(userRoom(userId)).disconnectSockets(true)
    },
    async accountChanged(userId) {
      try {
        io.to(userRoom(userId)).emit('account:updated', { user: await services.users.me(userId) })
      } catch (err) {
        log.error({ err, userId }, 'could not announce an account change')
      }
    },
    groupChanged(change) {
      return inTurn(change.conversation.id, (applied) => announceGroupChange(change, applied))
    },
    settled: () => rooms.idle()
  }
  return broadcaster
}
