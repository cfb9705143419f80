import type { Logger } from 'pino'
import type { PresenceStatus } from '../../src/shared/schemas/presence'
import { createLimiter, type Limiter } from '../cluster/limits'
import { createRedisDirectory, LOCAL_DIRECTORY, type NodeLiveness } from '../cluster/presence-directory'
import type { RedisLink } from '../cluster/redis'
import type { Store } from '../store/types'
import { dndEnd } from '../../src/shared/dnd'
import { contactsOf, PresenceTracker, withDnd } from './presence'
import { TypingTracker, type Typist } from './typing'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import { conversationRoom, userRoom, type IoServer } from './types'

export const DEFAULT_TYPING_TIMEOUT_MS = 6000

/** Changes (a new typing start, a new status) one session may make per window; renewals are free. */
export const CHANGES_PER_WINDOW = 20
export const CHANGE_WINDOW_MS = 10_000

export interface PresenceOptions {
  /** A typing indicator stops this long after its last `typing:start`. Default 6 s. */
  typingTimeoutMs?: number
  /** With Redis: how often this node beats in the presence directory. Default 5 s. */
  presenceHeartbeatMs?: number
  /** With Redis: a node that has not beaten for this long is dead and its users offline. Default 15 s. */
  presenceExpiryMs?: number
}

/** The presence and typing state of one server, and whom it tells of changes. */
export interface PresenceHub {
  readonly presence: PresenceTracker
  readonly typing: TypingTracker
  /** Per session, shared by every node with Redis: new typing starts and status changes. */
  readonly limits: { typing: Limiter; status: Limiter }
  /** With Redis: which nodes are alive (the socket counts go by it). */
  readonly liveness: NodeLiveness | null
  /** Tells a conversation's other members, not the typist's own devices. */
  typingChanged(typist: Typist, typing: boolean): void
  /** Issue 21: the user's do-not-disturb started, changed or ended: their contacts get a presence:update. */
  dndChanged(userId: string): void
  /** Once the sockets are gone: waits for the changes under way and leaves the directory. */
  close(): Promise<void>
}

export function createPresenceHub(io: IoServer, store: Store, log: Logger, options: PresenceOptions = {}, redis: RedisLink | null = null): PresenceHub {
  const directory = redis
    ? createRedisDirectory(redis, log, { heartbeatMs: options.presenceHeartbeatMs, expiryMs: options.presenceExpiryMs })
    : LOCAL_DIRECTORY
  const announcing = new OneAtATimePerKey()
  const presence = new PresenceTracker(store.users, {
    directory,
    // A user's announcements go out one at a time in the order made, so each change is heard and the last one is the state now.
    onChange: (userId, status) => void announcing.run(userId, () => tell(userId, status)),
    onError: (err, userId) => log.warn({ err, userId }, 'could not record or publish a presence change'),
    dnd: async (userIds) => {
      const prefs = await store.notificationPrefs.many(userIds)
      const now = Date.now()
      return userIds.map((id) => {
        const p = prefs.get(id)
        return p ? dndEnd(p, now) : null
      })
    }
  })
  directory.start(presence)

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

  /**
   * Tells the people who share a conversation with the user their status,
   * through io, so the adapter carries it to whichever node each viewer is
   * connected to. Never rejects: it reports its own failures.
   */
  async function tell(userId: string, status: PresenceStatus): Promise<void> {
    try {
      const contacts = [...(await contactsOf(store.conversations, userId))]
      const [dndUntil] = await presence.dnd([userId])
      if (status !== 'offline') {
        // The same words for everyone: one emit to every contact's room reaches those connected anywhere.
        if (contacts.length > 0) io.to(contacts.map(userRoom)).emit('presence:update', withDnd({ userId, status, lastSeenAt: null }, dndUntil ?? null))
        return
      }
      // The last seen differs per viewer: worked out only for those connected somewhere.
      const statuses = await presence.statuses(contacts)
      const viewers = contacts.filter((_, i) => statuses[i] !== 'offline')
      // The last seen each viewer may see differs (hidden, or the viewer hides theirs): one emit per answer.
      const seen = await presence.lastSeenForViewers(userId, viewers)
      const byLastSeen = new Map<string | null, string[]>()
      for (const [i, viewer] of viewers.entries()) {
        const lastSeenAt = seen[i]!
        const rooms = byLastSeen.get(lastSeenAt)
        if (rooms) rooms.push(userRoom(viewer))
        else byLastSeen.set(lastSeenAt, [userRoom(viewer)])
      }
      for (const [lastSeenAt, rooms] of byLastSeen) io.to(rooms).emit('presence:update', withDnd({ userId, status, lastSeenAt }, dndUntil ?? null))
    } catch (err) {
      log.error({ err, userId }, 'could not announce a presence change')
    }
  }

  const limits = {
    typing: createLimiter({ points: CHANGES_PER_WINDOW, durationMs: CHANGE_WINDOW_MS, keyPrefix: 'typing' }, redis),
    status: createLimiter({ points: CHANGES_PER_WINDOW, durationMs: CHANGE_WINDOW_MS, keyPrefix: 'status' }, redis)
  }

  return {
    presence,
    typing,
    limits,
    liveness: directory.liveness ?? null,
    typingChanged,
    dndChanged: (userId) => {
      void presence.status(userId).then(
        (status) => announcing.run(userId, () => tell(userId, status)),
        (err: unknown) => log.warn({ err, userId }, 'could not announce a do-not-disturb change')
      )
    },
    close: async () => {
      await presence.settled()
      await announcing.idle()
      await directory.close()
    }
  }
}
