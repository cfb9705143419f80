import { randomUUID } from 'node:crypto'
import type { CreateInvitationBody, Invitation } from '../../src/shared/schemas/contacts'
import type { PublicUser } from '../../src/shared/schemas/users'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import { AppError, forbidden, notFound } from '../errors'
import type { InvitationRecord } from '../store/records'
import type { KeyedLock, Store } from '../store/types'
import { directKey } from './conversations.service'
import { toPublicUser } from './users.service'

export interface ContactLimits {
  /** After a decline, the sender may not invite the same person again for this long. */
  declineCooldownMs: number
  /** New invitations one person may send per hour, to anyone (invite, cancel, invite … included). */
  invitationsPerHour: number
}

export const DEFAULT_CONTACT_LIMITS: ContactLimits = { declineCooldownMs: 24 * 3600_000, invitationsPerHour: 30 }
const HOUR_MS = 3600_000

/**
 * Takes one of a sender's invitation slots for this hour: `null` if taken, else
 * how long until one frees. With several nodes it is counted in Redis, so
 * reaching each node in turn does not multiply it.
 */
export type InvitationSlots = (userId: string) => Promise<{ retryInMs: number } | null>

/** What a contact change did, for the route to announce after it responded. */
export interface ContactChange {
  /** Told to both parties: `isNew` as invitation:new, the others as invitation:updated. */
  invitations: { invitation: Invitation; isNew: boolean }[]
  /** Pairs who became contacts. */
  added: [PublicUser, PublicUser][]
  /** Pairs (user ids) who are no longer contacts. */
  removed: [string, string][]
}

/** The lock of changes between two people, whoever asks. */
const pairKey = (a: string, b: string): string => `contacts:${directKey(a, b)}`

const noChange = (): ContactChange => ({ invitations: [], added: [], removed: [] })

/** The outcome of asking to connect with someone. */
export type InviteOutcome =
  /** A new invitation was sent. */
  | { kind: 'sent'; invitation: Invitation; change: ContactChange }
  /** They had already invited the caller: their invitation is accepted, the two are contacts. */
  | { kind: 'accepted'; invitation: Invitation; change: ContactChange }
  /** The caller's invitation was already pending (only when asked to reuse it). */
  | { kind: 'pending'; invitation: Invitation; change: ContactChange }

/**
 * Contact invitations (send, accept, decline, cancel), the contacts they make,
 * and the "only contacts may start a direct chat with me" policy. Checks and
 * the in-memory change run without awaiting in between, so concurrent requests
 * cannot both pass a check.
 */
export class ContactService {
  /** Sender → when their recent invitations were sent (the last hour). */
  private readonly sent = new Map<string, number[]>()

  constructor(
    private readonly store: Pick<Store, 'users' | 'conversations' | 'contacts'>,
    private readonly now: () => number = Date.now,
    private readonly limits: ContactLimits = DEFAULT_CONTACT_LIMITS,
    /**
     * Changes between two people run one at a time under it, so concurrent
     * invitations make one; the store's holds across every node.
     */
    private readonly pairs: KeyedLock = new OneAtATimePerKey(),
    /** Shared slots across nodes; without them, counted here (by `now`, so tests can move time). */
    private readonly slots: InvitationSlots | null = null
  ) {}

  /** Invites someone; if they had already invited the caller, accepts theirs instead. */
  async invite(callerId: string, body: CreateInvitationBody): Promise<InviteOutcome> {
    if (body.userId === callerId) throw new AppError('validation_failed', 'body.userId: you cannot invite yourself')
    return this.pairs.run(pairKey(callerId, body.userId), () => this.connect(callerId, body.userId, body.message ?? '', false))
  }

  /**
   * Whether the caller may start a direct chat with someone now. Anyone may,
   * unless that person allows only contacts: then a stranger without an
   * existing chat sends (or already has pending) an invitation instead. If
   * they had invited the caller, that invitation is accepted and the chat may
   * start. Unknown users pass: creating the chat answers 404.
   */
  async directChat(callerId: string, targetId: string): Promise<{ invitation: Invitation | null; change: ContactChange }> {
    const target = await this.store.users.byId(targetId)
    const open =
      !target?.contactsOnlyDirect ||
      targetId === callerId ||
      (await this.store.contacts.contact(callerId, targetId)) !== undefined ||
      (await this.store.conversations.byDirectKey(directKey(callerId, targetId))) !== undefined
    if (open) return { invitation: null, change: noChange() }
    const outcome = await this.pairs.run(pairKey(callerId, targetId), () => this.connect(callerId, targetId, '', true))
    return { invitation: outcome.kind === 'accepted' ? null : outcome.invitation, change: outcome.change }
  }

  private async connect(callerId: string, targetId: string, message: string, reusePending: boolean): Promise<InviteOutcome> {
    const target = await this.store.users.byId(targetId)
    if (!target) throw notFound('user')
    const { contacts } = this.store
    if (await contacts.contact(callerId, targetId)) {
      throw new AppError('conflict', `you and ${target.displayName} are already contacts`)
    }
    const theirs = await contacts.latestInvitation(targetId, callerId)
    if (theirs?.status === 'pending') return { kind: 'accepted', ...(await this.finish(theirs, 'accepted')) }
    const mine = await contacts.latestInvitation(callerId, targetId)
    if (mine?.status === 'pending') {
      if (reusePending) return { kind: 'pending', invitation: await this.view(mine), change: noChange() }
      throw new AppError('conflict', `you already invited ${target.displayName}; wait for an answer, or cancel that invitation first`)
    }
    const now = this.now()
    if (mine?.status === 'declined' && mine.respondedAt) {
      const until = Date.parse(mine.respondedAt) + this.limits.declineCooldownMs
      if (now < until) {
        throw new AppError(
          'rate_limited',
          `${target.displayName} declined your invitation; you can invite them again after ${new Date(until).toISOString()}`,
          until - now
        )
      }
    }
    await this.takeSendSlot(callerId, now)
    const record: InvitationRecord = {
      id: randomUUID(),
      fromUserId: callerId,
      toUserId: targetId,
      message: message === '' ? null : message,
      status: 'pending',
      createdAt: new Date(now).toISOString(),
      respondedAt: null
    }
    await contacts.createInvitation(record)
    const invitation = await this.view(record)
    return { kind: 'sent', invitation, change: { ...noChange(), invitations: [{ invitation, isNew: true }] } }
  }

  private async takeSendSlot(callerId: string, now: number): Promise<void> {
    if (this.slots) {
      const refused = await this.slots(callerId)
      if (refused) throw tooManyInvitations(refused.retryInMs)
      return
    }
    const recent = (this.sent.get(callerId) ?? []).filter((t) => now - t < HOUR_MS)
    if (recent.length >= this.limits.invitationsPerHour) {
      throw tooManyInvitations(HOUR_MS - (now - (recent[0] ?? now)))
    }
    recent.push(now)
    this.sent.set(callerId, recent)
  }

  async accept(callerId: string, invitationId: string): Promise<{ invitation: Invitation; change: ContactChange }> {
    return this.answer(invitationId, callerId, 'to', 'accepted')
  }

  async decline(callerId: string, invitationId: string): Promise<{ invitation: Invitation; change: ContactChange }> {
    return this.answer(invitationId, callerId, 'to', 'declined')
  }

  async cancel(callerId: string, invitationId: string): Promise<{ invitation: Invitation; change: ContactChange }> {
    return this.answer(invitationId, callerId, 'from', 'cancelled')
  }

  private async answer(
    invitationId: string,
    callerId: string,
    party: 'from' | 'to',
    status: 'accepted' | 'declined' | 'cancelled'
  ): Promise<{ invitation: Invitation; change: ContactChange }> {
    const record = await this.require(invitationId, callerId, party)
    // Checked again in the pair's turn: the other person may have answered meanwhile.
    return this.pairs.run(pairKey(record.fromUserId, record.toUserId), async () =>
      this.finish(await this.require(invitationId, callerId, party), status)
    )
  }

  /** The pending invitation if the caller is the party who may act on it: 404, 403, then 409. */
  private async require(invitationId: string, callerId: string, party: 'from' | 'to'): Promise<InvitationRecord> {
    const record = await this.store.contacts.invitation(invitationId)
    if (!record) throw notFound('invitation')
    if ((party === 'to' ? record.toUserId : record.fromUserId) !== callerId) {
      throw forbidden(party === 'to' ? 'only the person invited can accept or decline this invitation' : 'only the sender can cancel this invitation')
    }
    if (record.status !== 'pending') throw new AppError('conflict', `this invitation was already ${record.status}`)
    return record
  }

  private async finish(
    record: InvitationRecord,
    status: 'accepted' | 'declined' | 'cancelled'
  ): Promise<{ invitation: Invitation; change: ContactChange }> {
    const done = await this.store.contacts.respond(record.id, status, new Date(this.now()).toISOString())
    const invitation = await this.view(done)
    const change: ContactChange = { ...noChange(), invitations: [{ invitation, isNew: false }] }
    if (status === 'accepted') change.added.push([invitation.from, invitation.to])
    return { invitation, change }
  }

  /** The caller's pending invitations, newest first. */
  async pending(callerId: string): Promise<{ incoming: Invitation[]; outgoing: Invitation[] }> {
    const records = (await this.store.contacts.pendingInvitations(callerId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    const all = await Promise.all(records.map((r) => this.view(r)))
    return { incoming: all.filter((i) => i.to.id === callerId), outgoing: all.filter((i) => i.from.id === callerId) }
  }

  /** The caller's contacts, by display name. */
  async list(callerId: string): Promise<PublicUser[]> {
    const users = await this.store.users.byIds(await this.store.contacts.contactsOf(callerId))
    return users
      .map(toPublicUser)
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.username.localeCompare(b.username))
  }

  /** Ends a contact for both people; their direct chat, if any, stays. */
  async remove(callerId: string, userId: string): Promise<ContactChange> {
    if (!(await this.store.contacts.removeContact(callerId, userId))) throw notFound('contact')
    return { ...noChange(), removed: [[callerId, userId]] }
  }

  private async view(record: InvitationRecord): Promise<Invitation> {
    const user = async (id: string): Promise<PublicUser> => {
      const found = await this.store.users.byId(id)
      if (!found) throw new Error(`invitation ${record.id} names unknown user ${id}`)
      return toPublicUser(found)
    }
    const [from, to] = await Promise.all([user(record.fromUserId), user(record.toUserId)])
    return {
      id: record.id,
      from,
      to,
      message: record.message,
      status: record.status,
      createdAt: record.createdAt,
      respondedAt: record.respondedAt
    }
  }
}

function tooManyInvitations(retryInMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryInMs / 60_000))
  return new AppError('rate_limited', `you sent too many invitations in the last hour; try again in ${minutes} minute(s)`, retryInMs)
}
