import type { ContactRecord, DbData, InvitationRecord } from './records'
import type { ContactRepo } from './types'

/** The two user ids, sorted and joined: one key per pair, whoever asks. */
export const pairKey = (a: string, b: string): string => [a, b].sort().join(':')
const directed = (from: string, to: string): string => `${from}>${to}`

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key)
  if (!set) index.set(key, (set = new Set()))
  set.add(value)
}

/**
 * Invitations and contacts inside the meta store's lowdb document, with
 * in-memory indexes. Only the latest invitation per sender and recipient is
 * kept (it alone decides what may happen next), so the document stays bounded
 * by the number of pairs, not by how often people invite each other.
 */
export class LowContactRepo implements ContactRepo {
  /** `from>to` → id of the latest invitation from one user to the other. */
  private readonly latest = new Map<string, string>()
  /** user id → ids of the invitations they sent or received. */
  private readonly byUser = new Map<string, Set<string>>()
  /** user id → ids of their contacts. */
  private readonly contacts = new Map<string, Set<string>>()

  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  /** Builds the indexes after the document was read; older documents get the missing collections. */
  load(): void {
    const data = this.data()
    data.invitations ??= {}
    data.contacts ??= {}
    for (const invitation of Object.values(data.invitations)) this.indexInvitation(invitation)
    for (const { userIds: [a, b] } of Object.values(data.contacts)) this.indexContact(a, b)
  }

  private indexInvitation(invitation: InvitationRecord): void {
    this.latest.set(directed(invitation.fromUserId, invitation.toUserId), invitation.id)
    addTo(this.byUser, invitation.fromUserId, invitation.id)
    addTo(this.byUser, invitation.toUserId, invitation.id)
  }

  private indexContact(a: string, b: string): void {
    addTo(this.contacts, a, b)
    addTo(this.contacts, b, a)
  }

  async createInvitation(invitation: InvitationRecord): Promise<void> {
    const { invitations } = this.data()
    const previous = this.latestNow(invitation.fromUserId, invitation.toUserId)
    if (previous) {
      if (previous.status === 'pending') throw new Error(`invitation ${previous.id} is still pending`)
      delete invitations[previous.id]
      this.byUser.get(previous.fromUserId)?.delete(previous.id)
      this.byUser.get(previous.toUserId)?.delete(previous.id)
    }
    invitations[invitation.id] = invitation
    this.indexInvitation(invitation)
    await this.writeNow()
  }

  async invitation(id: string): Promise<InvitationRecord | undefined> {
    return this.data().invitations[id]
  }

  async latestInvitation(fromUserId: string, toUserId: string): Promise<InvitationRecord | undefined> {
    return this.latestNow(fromUserId, toUserId)
  }

  private latestNow(fromUserId: string, toUserId: string): InvitationRecord | undefined {
    const id = this.latest.get(directed(fromUserId, toUserId))
    return id === undefined ? undefined : this.data().invitations[id]
  }

  async pendingInvitations(userId: string): Promise<InvitationRecord[]> {
    const { invitations } = this.data()
    return [...(this.byUser.get(userId) ?? [])].flatMap((id) => {
      const invitation = invitations[id]
      return invitation?.status === 'pending' ? [invitation] : []
    })
  }

  async respond(id: string, status: 'accepted' | 'declined' | 'cancelled', at: string): Promise<InvitationRecord> {
    const data = this.data()
    const invitation = data.invitations[id]
    if (invitation?.status !== 'pending') throw new Error(`invitation ${id} is not pending`)
    invitation.status = status
    invitation.respondedAt = at
    if (status === 'accepted') {
      const userIds = [invitation.fromUserId, invitation.toUserId].sort() as [string, string]
      const contact: ContactRecord = { userIds, since: at }
      data.contacts[pairKey(...userIds)] = contact
      this.indexContact(...userIds)
    }
    await this.writeNow()
    return invitation
  }

  async contact(a: string, b: string): Promise<ContactRecord | undefined> {
    return this.data().contacts[pairKey(a, b)]
  }

  async contactsOf(userId: string): Promise<string[]> {
    return [...(this.contacts.get(userId) ?? [])]
  }

  async removeContact(a: string, b: string): Promise<boolean> {
    const { contacts } = this.data()
    const key = pairKey(a, b)
    if (!contacts[key]) return false
    delete contacts[key]
    this.contacts.get(a)?.delete(b)
    this.contacts.get(b)?.delete(a)
    await this.writeNow()
    return true
  }
}
