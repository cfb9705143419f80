import type { Logger } from 'pino'
import type { PresenceStatus } from '../../src/shared/schemas/presence'
import type { Store } from '../store/types'
import { contactsOf, PresenceTracker } from './presence'
import { TypingTracker, type Typist } from './typing'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import { conversationRoom, userRoom, type IoServer } from './types'

export const DEFAULT_TYPING_TIMEOUT_MS = 6000

/** Changes (a new typing start, a new status) one socket may make per window; renewals are free. */
export const CHANGES_PER_WINDOW = 20
export const CHANGE_WINDOW_MS = 10_000

export interface PresenceOptions {
  /** A typing indicator stops this long after its last `typing:start`. Default 6 s. */
  typingTimeoutMs?: number
}

/** The presence and typing state of one server, and whom it tells of changes. */
export interface PresenceHub {
  readonly presence: PresenceTracker
  readonly typing: TypingTracker
  /**
   * Tells the connected people who share a conversation with the user their
   * status as it is now. A user's announcements go out one at a time in the
   * order made, so each change is heard and the last one is the state now.
   */
  announce(userId: string): void
  /** Tells a conversation's other members, not the typist's own devices. */
  typingChanged(typist: Typist, typing: boolean): void
}

export function createPresenceHub(io: IoServer, store: Store, log: Logger, options: PresenceOptions = {}): PresenceHub {
  const presence = new PresenceTracker(store.users, undefined, (err, userId) => log.warn({ err, userId }, 'could not record last seen'))
  const announcing = new OneAtATimePerKey()

  function typingChanged({ conversationId, userId }: Typist, typing: boolean): void {
    io.to(conversationRoom(conversationId)).except(userRoom(userId)).emit('typing:update', { conversationId, userId, typing })
  }

  const typing = new TypingTracker(options.typingTimeoutMs ?? DEFAULT_TYPING_TIMEOUT_MS, (typist) => {
    try {
      typingChanged(typist, false)
    } catch (err) {
      log.error({ err, ...typist }, 'could not announce a typing timeout')
    }
  })

  function announce(userId: string): void {
    const status = presence.status(userId)
    // tell() reports its own failures: the queue's promise never rejects.
    void announcing.run(userId, () => tell(userId, status))
  }

  async function tell(userId: string, status: PresenceStatus): Promise<void> {
    try {
      // On one server, only contacts connected here have sockets to tell.
      const viewers = [...(await contactsOf(store.conversations, userId))].filter((id) => presence.isConnected(id))
      if (viewers.length === 0) return
      // The last seen each viewer may see differs (hidden, or the viewer hides theirs): one emit per answer.
      const byLastSeen = new Map<string | null, string[]>()
      for (const viewer of viewers) {
        const lastSeenAt = status === 'offline' ? await presence.lastSeenFor(userId, viewer) : null
        const rooms = byLastSeen.get(lastSeenAt)
        if (rooms) rooms.push(userRoom(viewer))
        else byLastSeen.set(lastSeenAt, [userRoom(viewer)])
      }
      for (const [lastSeenAt, rooms] of byLastSeen) io.to(rooms).emit('presence:update', { userId, status, lastSeenAt })
    } catch (err) {
      log.error({ err, userId }, 'could not announce a presence change')
    }
  }

  return { presence, typing, announce, typingChanged }
}
