export interface Typist {
  conversationId: string
  userId: string
}

interface TypingEntry extends Typist {
  /** One expiry timer per socket (device) of the user typing here. */
  timers: Map<string, NodeJS.Timeout>
}

/**
 * Who is typing where, per socket. A user types in a conversation while any
 * of their sockets does; each socket's start expires after `timeoutMs`
 * unless renewed, so a client that crashed or lost its network does not type
 * forever. Kept per server instance.
 */
export class TypingTracker {
  private readonly entries = new Map<string, TypingEntry>()
  private readonly bySocket = new Map<string, Set<string>>()

  constructor(
    readonly timeoutMs: number,
    /** Called when the last of a user's sockets stopped typing by timing out. */
    private readonly expired: (typist: Typist) => void
  ) {}

  isTyping(conversationId: string, userId: string, socketId: string): boolean {
    return this.entries.get(key(conversationId, userId))?.timers.has(socketId) ?? false
  }

  /** Starts or renews; true when the user was not typing there before (the others should hear). */
  start(conversationId: string, userId: string, socketId: string): boolean {
    const k = key(conversationId, userId)
    let entry = this.entries.get(k)
    const began = entry === undefined
    if (!entry) this.entries.set(k, (entry = { conversationId, userId, timers: new Map() }))
    clearTimeout(entry.timers.get(socketId))
    const timer = setTimeout(() => {
      if (this.remove(k, socketId)) this.expired({ conversationId, userId })
    }, this.timeoutMs)
    timer.unref()
    entry.timers.set(socketId, timer)
    let keys = this.bySocket.get(socketId)
    if (!keys) this.bySocket.set(socketId, (keys = new Set()))
    keys.add(k)
    return began
  }

  /** True when the user no longer types there (the others should hear). */
  stop(conversationId: string, userId: string, socketId: string): boolean {
    return this.remove(key(conversationId, userId), socketId)
  }

  /** Forgets a socket that went away; returns where its user stopped typing because of it. */
  dropSocket(socketId: string): Typist[] {
    const stopped: Typist[] = []
    for (const k of this.bySocket.get(socketId) ?? []) {
      const entry = this.entries.get(k)
      if (entry && this.remove(k, socketId)) stopped.push({ conversationId: entry.conversationId, userId: entry.userId })
    }
    this.bySocket.delete(socketId)
    return stopped
  }

  private remove(k: string, socketId: string): boolean {
    const entry = this.entries.get(k)
    const timer = entry?.timers.get(socketId)
    if (!entry || timer === undefined) return false
    clearTimeout(timer)
    entry.timers.delete(socketId)
    this.bySocket.get(socketId)?.delete(k)
    if (entry.timers.size > 0) return false
    this.entries.delete(k)
    return true
  }
}

const key = (conversationId: string, userId: string): string => `${conversationId} ${userId}`
