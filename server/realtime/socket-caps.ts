// Caps on open sockets per session (one signed-in device) and per user, so
// one token cannot hold hundreds of connections. The app opens one socket per
// account per device (the Node host serves every tab through one core); a
// reconnect can briefly overlap the old socket with the new one. Hence a few
// per session and enough per user for every device a person signs in on.
//
// This node counts its own sockets (a place is taken in the handshake, before
// the socket connects, so racing handshakes cannot all take the last one);
// with Redis the other live nodes' counts are added (../cluster/socket-counts).
// While Redis is down each node counts alone: never open, never everyone shut.
import type { Logger } from 'pino'
import type { NodeLiveness } from '../cluster/presence-directory'
import type { RedisLink } from '../cluster/redis'
import { createSharedSocketCounts, type Caps, type FullCap, type SharedSocketCounts } from '../cluster/socket-counts'

export const DEFAULT_SOCKETS_PER_SESSION = 5
export const DEFAULT_SOCKETS_PER_USER = 30

export interface SocketCapOptions {
  /** Sockets one session (a signed-in device) may have open at once, over every node. Default 5. */
  socketsPerSession?: number
  /** Sockets one user may have open at once, over all their sessions and every node. Default 30. */
  socketsPerUser?: number
}

export type Admission = { ok: true; release: () => void } | { ok: false; cap: FullCap; limit: number }

export interface SocketCaps {
  /** Takes a place for one more socket of the session; `release` gives it back once the socket is gone. */
  admit(userId: string, sessionId: string): Promise<Admission>
  /** Forgets this node's counts in Redis (a clean stop). */
  close(): Promise<void>
}

export function createSocketCaps(options: SocketCapOptions, log: Logger, redis: RedisLink | null, liveness: NodeLiveness | null): SocketCaps {
  const caps: Caps = {
    perSession: options.socketsPerSession ?? DEFAULT_SOCKETS_PER_SESSION,
    perUser: options.socketsPerUser ?? DEFAULT_SOCKETS_PER_USER
  }
  const users = new Counts()
  const sessions = new Counts()
  const shared: SharedSocketCounts | null = redis && liveness ? createSharedSocketCounts(redis, liveness) : null
  let degraded = false

  const fellBack = (err: unknown): void => {
    if (degraded) return
    degraded = true
    log.warn({ err }, "socket caps count this node's sockets only until Redis is back")
  }
  const republish = (): void => {
    if (!shared) return
    shared.republish({ users: users.snapshot(), sessions: sessions.snapshot() }).then(
      () => {
        if (degraded) log.info('socket caps count every node again')
        degraded = false
      },
      fellBack
    )
  }
  // Whatever this node wrote while Redis was away, or while counted dead, is written again.
  liveness?.onJoined(republish)

  const mine = (userId: string, sessionId: string): { user: number; session: number } => ({ user: users.get(userId), session: sessions.get(sessionId) })

  /** Gives a place back; Redis hears this node's new counts (a failed write waits for the next republish). */
  const giveBack = (userId: string, sessionId: string): void => {
    users.add(userId, -1)
    sessions.add(sessionId, -1)
    shared?.set(userId, sessionId, mine(userId, sessionId)).catch(fellBack)
  }

  const localFull = (userId: string, sessionId: string): FullCap | null =>
    sessions.get(sessionId) > caps.perSession ? 'session' : users.get(userId) > caps.perUser ? 'user' : null

  return {
    async admit(userId, sessionId) {
      // Taken first: a handshake racing this one sees it.
      users.add(userId, 1)
      sessions.add(sessionId, 1)
      let full = localFull(userId, sessionId)
      if (!full && shared) {
        try {
          full = await shared.admit(userId, sessionId, mine(userId, sessionId), caps)
        } catch (err) {
          fellBack(err)
        }
      }
      if (full) {
        giveBack(userId, sessionId)
        return { ok: false, cap: full, limit: full === 'session' ? caps.perSession : caps.perUser }
      }
      let released = false
      return {
        ok: true,
        release: () => {
          if (released) return
          released = true
          giveBack(userId, sessionId)
        }
      }
    },
    async close() {
      try {
        await shared?.leave()
      } catch (err) {
        // The others drop this node's counts once it has left the presence directory.
        log.warn({ err }, 'could not remove the socket counts of this node')
      }
    }
  }
}

/** Counts by key; a key at zero is dropped. */
class Counts {
  private readonly counts = new Map<string, number>()

  get(key: string): number {
    return this.counts.get(key) ?? 0
  }

  add(key: string, delta: number): void {
    const n = this.get(key) + delta
    if (n > 0) this.counts.set(key, n)
    else this.counts.delete(key)
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts)
  }
}
