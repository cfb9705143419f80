import { Low, Memory, type Adapter } from 'lowdb'
import { LowAdminRepo } from './admin-repo'
import { LowContactRepo } from './contact-repo'
import { LowUserGroupRepo } from './user-group-repo'
import { LowBotRepo, LowWebhookRepo } from './hooks-repo'
import { LowPinRepo, LowSavedRepo } from './pins-saved-repo'
import { LowDraftRepo } from './draft-repo'
import { LowNotificationPrefsRepo } from './notification-prefs-repo'
import { LowScheduledRepo } from './scheduled-repo'
import { LowThreadRepo } from './thread-repo'
import { memberChange, recordChange, type Change } from './journal-changes'
import { flatMarks, pushMark } from './read-marks'
import { emptyDb, type DbData, type MembershipRecord, type RefreshFamilyRecord, type UserRecord } from './records'
import type { ConversationRepo, MentionRepo, TokenRepo, UserRepo } from './types'
import { unreadMentions, withMention } from './mention-seqs'

const SOFT_WRITE_DELAY_MS = 500

/** An adapter that can save single records instead of the whole document (JournaledJsonFile). */
interface ChangeWriter {
  writeChanges(data: DbData, changes: Change[]): Promise<void>
}

function canWriteChanges(adapter: Adapter<DbData>): adapter is Adapter<DbData> & ChangeWriter {
  return typeof (adapter as Partial<ChangeWriter>).writeChanges === 'function'
}

/**
 * Users, conversations, memberships and refresh-token families in one lowdb
 * document, with in-memory indexes built at load. Changes to users,
 * conversations, memberships and token families name their records, so a
 * journaling adapter saves just those (a sign-up costs a few hundred bytes,
 * not the whole document); other changes save the whole document. The
 * adapter coalesces concurrent writes.
 */
export class MetaStore {
  private readonly db: Low<DbData>
  private readonly usernames = new Map<string, string>()
  private readonly directKeys = new Map<string, string>()
  private readonly membersByConversation = new Map<string, Map<string, MembershipRecord>>()
  private readonly conversationsByUser = new Map<string, Set<string>>()
  private readonly familyByHash = new Map<string, string>()
  private readonly familiesByUser = new Map<string, Set<string>>()
  /** Records changed by soft writes (read marks, last seen), saved together soon. */
  private readonly soft = new Map<string, Change>()
  private readonly joinCodes = new Map<string, string>()
  private readonly roomNames = new Map<string, string>()
  private softTimer: NodeJS.Timeout | null = null

  private constructor(
    db: Low<DbData>,
    private readonly journal: ChangeWriter | null,
    private readonly now: () => number
  ) {
    this.db = db
  }

  /** `now` times cursor moves given no time (tests move it); default the system clock. */
  static async open(adapter: Adapter<DbData> = new Memory<DbData>(), now: () => number = Date.now): Promise<MetaStore> {
    const db = new Low<DbData>(adapter, emptyDb())
    await db.read()
    const store = new MetaStore(db, canWriteChanges(adapter) ? adapter : null, now)
    store.index()
    return store
  }

  private get data(): DbData {
    return this.db.data
  }

  private index(): void {
    for (const user of Object.values(this.data.users)) this.usernames.set(user.usernameLower, user.id)
    for (const conv of Object.values(this.data.conversations)) {
      if (conv.directKey) this.directKeys.set(conv.directKey, conv.id)
      if (conv.joinCode) this.joinCodes.set(conv.joinCode.code, conv.id)
      if (conv.kind === 'room' && conv.title) this.roomNames.set(conv.title.toLowerCase(), conv.id)
    }
    for (const m of this.data.memberships) this.indexMembership(m)
    for (const family of Object.values(this.data.refreshFamilies)) this.indexFamily(family)
    this.contacts.load()
    this.admin.load()
    this.userGroups.load()
    this.webhooks.load()
    this.bots.load()
    this.pins.load()
    this.saved.load()
    this.drafts.load()
    this.threads.load()
    this.scheduled.load()
  }

  private indexMembership(m: MembershipRecord): void {
    if (m.readMarks) m.readMarks = flatMarks(m.readMarks)
    if (m.deliveredMarks) m.deliveredMarks = flatMarks(m.deliveredMarks)
    let members = this.membersByConversation.get(m.conversationId)
    if (!members) this.membersByConversation.set(m.conversationId, (members = new Map<string, MembershipRecord>()))
    members.set(m.userId, m)
    let convs = this.conversationsByUser.get(m.userId)
    if (!convs) this.conversationsByUser.set(m.userId, (convs = new Set()))
    convs.add(m.conversationId)
  }

  private indexFamily(family: RefreshFamilyRecord): void {
    for (const token of family.tokens) this.familyByHash.set(token.hash, family.id)
    let families = this.familiesByUser.get(family.userId)
    if (!families) this.familiesByUser.set(family.userId, (families = new Set()))
    families.add(family.id)
  }

  /**
   * Saves `changes` (or, without them, the whole document) durably. A whole
   * document also covers pending soft changes.
   */
  private writeNow(changes?: Change[]): Promise<void> {
    if (changes && this.journal) return this.journal.writeChanges(this.data, changes)
    if (this.softTimer) {
      clearTimeout(this.softTimer)
      this.softTimer = null
    }
    this.soft.clear()
    return this.db.write()
  }

  private writeSoon(change: Change): void {
    this.soft.set(change.key, change)
    this.softTimer ??= setTimeout(() => {
      this.softTimer = null
      const changes = [...this.soft.values()]
      this.soft.clear()
      const write = this.journal ? this.journal.writeChanges(this.data, changes) : this.db.write()
      write.catch(() => undefined)
    }, SOFT_WRITE_DELAY_MS)
  }

  private user(id: string): Change {
    return recordChange('users', id, () => this.data.users[id])
  }

  private conversation(id: string): Change {
    return recordChange('conversations', id, () => this.data.conversations[id])
  }

  private member(conversationId: string, userId: string): Change {
    return memberChange(conversationId, userId, () => this.membersByConversation.get(conversationId)?.get(userId))
  }

  private family(id: string): Change {
    return recordChange('refreshFamilies', id, () => this.data.refreshFamilies[id])
  }

  /**
   * Forgets a user's families whose every token expired before `now`: they can
   * never be used again, and sign-ins would otherwise grow the document
   * forever. A revoked family is kept until then, so its tokens are still
   * answered "signed out" rather than "unknown".
   */
  private pruneFamilies(userId: string, now: number): Change[] {
    const dead: Change[] = []
    for (const id of this.familiesByUser.get(userId) ?? []) {
      const family = this.data.refreshFamilies[id]
      if (family && family.tokens.some((t) => t.expiresAt > now)) continue
      for (const t of family?.tokens ?? []) this.familyByHash.delete(t.hash)
      delete this.data.refreshFamilies[id]
      this.familiesByUser.get(userId)?.delete(id)
      dead.push(this.family(id))
    }
    return dead
  }

  async flush(): Promise<void> {
    await this.writeNow()
  }

  readonly users: UserRepo = {
    create: async (user) => {
      if (this.usernames.has(user.usernameLower)) return false
      this.data.users[user.id] = user
      this.usernames.set(user.usernameLower, user.id)
      await this.writeNow([this.user(user.id)])
      return true
    },
    byId: async (id) => this.data.users[id],
    byIds: async (ids) => ids.flatMap((id) => this.data.users[id] ?? []),
    byUsername: async (username) => {
      const id = this.usernames.get(username.toLowerCase())
      return id === undefined ? undefined : this.data.users[id]
    },
    search: async (q, limit) => {
      const needle = q.toLowerCase()
      const hits: UserRecord[] = []
      for (const user of Object.values(this.data.users)) {
        if (user.usernameLower.includes(needle) || user.displayName.toLowerCase().includes(needle)) {
          hits.push(user)
        }
      }
      // Prefix matches first, then alphabetical: what a person typing expects.
      const rank = (u: UserRecord): number =>
        u.usernameLower.startsWith(needle) || u.displayName.toLowerCase().startsWith(needle) ? 0 : 1
      hits.sort((a, b) => rank(a) - rank(b) || a.usernameLower.localeCompare(b.usernameLower))
      return hits.slice(0, limit)
    },
    all: async () => Object.values(this.data.users).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    count: async () => this.usernames.size,
    update: async (id, patch) => {
      const user = this.data.users[id]
      if (!user) throw new Error(`no user ${id}`)
      Object.assign(user, defined(patch))
      await this.writeNow([this.user(id)])
      return user
    },
    setLastSeen: async (id, at) => {
      const user = this.data.users[id]
      if (!user) return
      user.lastSeenAt = at
      this.writeSoon(this.user(id))
    }
  }

  readonly conversations: ConversationRepo = {
    create: async (conversation, members) => {
      this.data.conversations[conversation.id] = conversation
      if (conversation.directKey) this.directKeys.set(conversation.directKey, conversation.id)
      if (conversation.kind === 'room' && conversation.title) this.roomNames.set(conversation.title.toLowerCase(), conversation.id)
      if (conversation.joinCode) this.joinCodes.set(conversation.joinCode.code, conversation.id)
      for (const m of members) {
        this.data.memberships.push(m)
        this.indexMembership(m)
      }
      await this.writeNow([this.conversation(conversation.id), ...members.map((m) => this.member(m.conversationId, m.userId))])
    },
    byId: async (id) => this.data.conversations[id],
    allIds: async () => Object.keys(this.data.conversations),
    byDirectKey: async (key) => {
      const id = this.directKeys.get(key)
      return id === undefined ? undefined : this.data.conversations[id]
    },
    forUser: async (userId) => {
      const ids = this.conversationsByUser.get(userId) ?? new Set<string>()
      return [...ids].flatMap((id) => this.data.conversations[id] ?? [])
    },
    members: async (conversationId) => [...(this.membersByConversation.get(conversationId)?.values() ?? [])],
    membership: async (conversationId, userId) => this.membersByConversation.get(conversationId)?.get(userId),
    withMembership: async (conversationId, userId) => {
      const conversation = this.data.conversations[conversationId]
      return conversation && { conversation, membership: this.membersByConversation.get(conversationId)?.get(userId) }
    },
    markRead: async (conversationId, userId, seq, at = this.now()) => {
      const m = this.membersByConversation.get(conversationId)?.get(userId)
      if (!m || seq <= m.readSeq) return false
      m.readSeq = seq
      m.readMarks = pushMark(m.readMarks, seq, at)
      if (m.mentionSeqs) m.mentionSeqs = unreadMentions(m.mentionSeqs, seq)
      if (seq > (m.deliveredSeq ?? 0)) {
        m.deliveredSeq = seq
        m.deliveredMarks = pushMark(m.deliveredMarks, seq, at)
      }
      this.writeSoon(this.member(conversationId, userId))
      return true
    },
    markUnread: async (conversationId, userId, seq) => {
      const m = this.membersByConversation.get(conversationId)?.get(userId)
      if (!m || seq >= m.readSeq) return false
      m.readSeq = seq
      this.writeSoon(this.member(conversationId, userId))
      return true
    },
    markDelivered: async (conversationId, userId, seq, at = this.now()) => {
      const m = this.membersByConversation.get(conversationId)?.get(userId)
      if (!m || seq <= (m.deliveredSeq ?? 0)) return false
      m.deliveredSeq = seq
      m.deliveredMarks = pushMark(m.deliveredMarks, seq, at)
      this.writeSoon(this.member(conversationId, userId))
      return true
    },
    update: async (conversationId, patch) => {
      const conv = this.data.conversations[conversationId]
      if (!conv) throw new Error(`no conversation ${conversationId}`)
      if (patch.joinCode !== undefined) {
        if (conv.joinCode) this.joinCodes.delete(conv.joinCode.code)
        if (patch.joinCode) this.joinCodes.set(patch.joinCode.code, conversationId)
      }
      if (conv.kind === 'room' && patch.title && conv.title) {
        this.roomNames.delete(conv.title.toLowerCase())
        this.roomNames.set(patch.title.toLowerCase(), conversationId)
      }
      Object.assign(conv, defined(patch))
      await this.writeNow([this.conversation(conversationId)])
      return conv
    },
    addMembers: async (_conversationId, members) => {
      for (const m of members) {
        this.data.memberships.push(m)
        this.indexMembership(m)
      }
      await this.writeNow(members.map((m) => this.member(m.conversationId, m.userId)))
    },
    removeMember: async (conversationId, userId) => {
      this.data.memberships = this.data.memberships.filter((m) => m.conversationId !== conversationId || m.userId !== userId)
      this.membersByConversation.get(conversationId)?.delete(userId)
      this.conversationsByUser.get(userId)?.delete(conversationId)
      await this.writeNow([this.member(conversationId, userId), ...this.drafts.dropMember(conversationId, userId)])
    },
    setRole: async (conversationId, userId, role) => {
      const m = this.membersByConversation.get(conversationId)?.get(userId)
      if (!m) throw new Error(`${userId} is not in ${conversationId}`)
      m.role = role
      await this.writeNow([this.member(conversationId, userId)])
    },
    delete: async (conversationId) => {
      const conv = this.data.conversations[conversationId]
      if (!conv) return
      delete this.data.conversations[conversationId]
      if (conv.directKey) this.directKeys.delete(conv.directKey)
      if (conv.joinCode) this.joinCodes.delete(conv.joinCode.code)
      if (conv.kind === 'room' && conv.title) this.roomNames.delete(conv.title.toLowerCase())
      this.data.memberships = this.data.memberships.filter((m) => m.conversationId !== conversationId)
      for (const userId of this.membersByConversation.get(conversationId)?.keys() ?? []) {
        this.conversationsByUser.get(userId)?.delete(conversationId)
        this.drafts.dropMember(conversationId, userId)
      }
      this.membersByConversation.delete(conversationId)
      // Issue 20: its pins and everyone's saved messages of it go with it (as PostgreSQL's foreign keys do).
      this.pins.dropConversation(conversationId)
      this.saved.dropConversation(conversationId)
      await this.writeNow()
    },
    clearHistory: async (conversationId, userId, seq) => {
      const m = this.membersByConversation.get(conversationId)?.get(userId)
      if (!m) return
      m.clearedSeq = Math.max(m.clearedSeq ?? 0, seq)
      await this.writeNow([this.member(conversationId, userId)])
    },
    byJoinCode: async (code) => {
      const id = this.joinCodes.get(code)
      return id === undefined ? undefined : this.data.conversations[id]
    },
    joinWithCode: async (code, member, now) => {
      // Checked and changed with no await in between: concurrent joins see each other's use.
      const conv = this.data.conversations[member.conversationId]
      const joinCode = conv?.joinCode
      if (!conv || joinCode?.code !== code) return 'refused'
      if (this.membersByConversation.get(conv.id)?.has(member.userId)) return 'member'
      const expired = joinCode.expiresAt !== null && Date.parse(joinCode.expiresAt) <= now
      if (expired || (joinCode.maxUses !== null && joinCode.uses >= joinCode.maxUses)) return 'refused'
      conv.joinCode = { ...joinCode, uses: joinCode.uses + 1 }
      this.data.memberships.push(member)
      this.indexMembership(member)
      await this.writeNow([this.conversation(conv.id), this.member(conv.id, member.userId)])
      return 'joined'
    },
    byRoomName: async (name) => {
      const id = this.roomNames.get(name.toLowerCase())
      return id === undefined ? undefined : this.data.conversations[id]
    },
    rooms: async () => [...this.roomNames.values()].flatMap((id) => this.data.conversations[id] ?? [])
  }

  readonly mentions: MentionRepo = {
    mark: async (conversationId, seq, userIds) => {
      for (const userId of userIds) {
        const m = this.membersByConversation.get(conversationId)?.get(userId)
        if (!m || seq <= m.readSeq) continue
        m.mentionSeqs = withMention(m.mentionSeqs, m.readSeq, seq)
        this.writeSoon(this.member(conversationId, userId))
      }
    },
    unmark: async (conversationId, seq, userIds) => {
      for (const userId of userIds) {
        const m = this.membersByConversation.get(conversationId)?.get(userId)
        if (!m?.mentionSeqs?.includes(seq)) continue
        m.mentionSeqs = m.mentionSeqs.filter((s) => s !== seq)
        if (m.mentionSeqs.length === 0) delete m.mentionSeqs
        this.writeSoon(this.member(conversationId, userId))
      }
    }
  }

  readonly tokens: TokenRepo = {
    save: async (family) => {
      const fresh = !this.data.refreshFamilies[family.id]
      this.data.refreshFamilies[family.id] = family
      this.indexFamily(family)
      // A new session is when a user's dead ones are swept.
      const pruned = fresh ? this.pruneFamilies(family.userId, family.createdAt) : []
      await this.writeNow([this.family(family.id), ...pruned])
    },
    familyById: async (id) => this.data.refreshFamilies[id],
    familyByTokenHash: async (hash) => {
      const id = this.familyByHash.get(hash)
      return id === undefined ? undefined : this.data.refreshFamilies[id]
    },
    // One thread and no await between reading and changing: atomic by construction.
    change: async (familyId, change) => {
      const stored = this.data.refreshFamilies[familyId]
      // A copy: what `change` modifies counts only if it says save, as in a database.
      const family = stored && structuredClone(stored)
      const { save, forgotten = [], result } = change(family)
      if (save && family) {
        this.data.refreshFamilies[family.id] = family
        for (const hash of forgotten) this.familyByHash.delete(hash)
        this.indexFamily(family)
        await this.writeNow([this.family(family.id)])
      }
      return result
    },
    revokeUser: async (userId, at) => {
      const revoked: string[] = []
      for (const family of Object.values(this.data.refreshFamilies)) {
        if (family.userId !== userId || family.revokedAt !== null) continue
        family.revokedAt = at
        revoked.push(family.id)
      }
      if (revoked.length > 0) await this.writeNow(revoked.map((id) => this.family(id)))
      return revoked
    }
  }

  /** Contact invitations and contacts, with their own indexes, in this same document. */
  readonly contacts = new LowContactRepo(
    () => this.data,
    () => this.writeNow()
  )

  /** User groups, in this same document. */
  readonly userGroups = new LowUserGroupRepo(
    () => this.data,
    () => this.writeNow()
  )

  /** Issue 21: webhooks, bots and bot tokens, in this same document. */
  readonly webhooks = new LowWebhookRepo(
    () => this.data,
    () => this.writeNow()
  )

  readonly bots = new LowBotRepo(
    () => this.data,
    () => this.writeNow()
  )

  /** Drafts, each its own journal line, in this same document. */
  readonly drafts = new LowDraftRepo(
    () => this.data,
    (changes) => this.writeNow(changes)
  )

  /** Issue 21: notification preferences, each user's its own journal line. */
  readonly notificationPrefs = new LowNotificationPrefsRepo(
    () => this.data,
    (changes) => this.writeNow(changes)
  )

  /** Issue 21 scheduled messages, each its own journal line, in this same document. */
  readonly scheduled = new LowScheduledRepo(
    () => this.data,
    (changes) => this.writeNow(changes)
  )

  /** Threads' replies, follows and read positions, in this same document, each record its own journal line. */
  readonly threads = new LowThreadRepo(
    () => this.data,
    (changes) => this.writeNow(changes)
  )

  /** Server settings, invite codes and password resets, in this same document. */
  readonly admin = new LowAdminRepo(
    () => this.data,
    () => this.writeNow()
  )

  /** Issue 20: pinned and saved messages, in this same document. */
  readonly pins = new LowPinRepo(
    () => this.data,
    () => this.writeNow()
  )

  readonly saved = new LowSavedRepo(
    () => this.data,
    () => this.writeNow()
  )
}

/** The patch without its undefined keys: an absent change leaves the field as it is. */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>
}
