import type { CreateJoinCodeBody, JoinCode } from '../../src/shared/schemas/groups'
import { AppError } from '../errors'
import type { Store } from '../store/types'
import { codeSpent, newCode, newCodeRecord } from './codes'
import type { ConversationService } from './conversations.service'
import type { GroupChange } from './groups.service'
import { member } from './membership'
import { systemDraft } from './system-messages'

export class JoinCodeService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly now: () => number
  ) {}

  async get(actorId: string, conversationId: string): Promise<JoinCode | null> {
    return (await this.conversations.requireAdmin(conversationId, actorId)).joinCode
  }

  /** Creates the group's code, or replaces it: the old one stops working at once. */
  async create(actorId: string, conversationId: string, body: CreateJoinCodeBody): Promise<{ joinCode: JoinCode; change: GroupChange }> {
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    if (conversation.kind !== 'group') throw new AppError('conflict', 'public rooms need no join code: anyone can enter them')
    let code = newCode()
    while (await this.store.conversations.byJoinCode(code)) code = newCode()
    const joinCode = newCodeRecord(code, actorId, this.now(), body)
    await this.store.conversations.update(conversationId, { joinCode })
    const change = await this.announce(actorId, conversationId, true)
    return { joinCode, change }
  }

  async revoke(actorId: string, conversationId: string): Promise<GroupChange | null> {
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    if (!conversation.joinCode) return null
    await this.store.conversations.update(conversationId, { joinCode: null })
    return this.announce(actorId, conversationId, false)
  }

  /** Adds the caller to the code's group; a member already in it just gets the group back. */
  async join(userId: string, code: string): Promise<{ change: GroupChange; joined: boolean }> {
    const conversation = await this.store.conversations.byJoinCode(code)
    const joinCode = conversation?.joinCode
    if (!conversation || !joinCode) {
      throw new AppError('not_found', 'this join code is not valid: it was revoked, replaced, or mistyped')
    }
    const alreadyIn = { change: { conversation, messages: [], added: [], removed: [], deleted: false }, joined: false }
    if (await this.store.conversations.membership(conversation.id, userId)) return alreadyIn
    const spent = codeSpent(joinCode, this.now())
    if (spent) throw new AppError('join_code_expired', `this join code ${spent}; ask an admin for a new one`)
    // The use is counted in the stored record and the member added in one
    // atomic step, so a code with N uses left lets N people in, whichever nodes they reach.
    const outcome = await this.store.conversations.joinWithCode(code, member(conversation.id, userId, 'member'), this.now())
    if (outcome === 'member') return alreadyIn
    if (outcome === 'refused') throw await this.refusal(code)
    const { message } = await this.store.messages.append(
      conversation.id,
      systemDraft(userId, { type: 'member_joined', userId, via: 'join_code' })
    )
    return { change: { conversation, messages: [message], added: [userId], removed: [], deleted: false }, joined: true }
  }

  /** Why a join that was let through the first checks was refused at the count: someone else took the last use, or the code changed meanwhile. */
  private async refusal(code: string): Promise<AppError> {
    const joinCode = (await this.store.conversations.byJoinCode(code))?.joinCode
    if (!joinCode) return new AppError('not_found', 'this join code is not valid: it was revoked, replaced, or mistyped')
    const spent = codeSpent(joinCode, this.now()) ?? 'has been used as many times as it allows'
    return new AppError('join_code_expired', `this join code ${spent}; ask an admin for a new one`)
  }

  private async announce(actorId: string, conversationId: string, enabled: boolean): Promise<GroupChange> {
    const { message } = await this.store.messages.append(conversationId, systemDraft(actorId, { type: 'join_code_changed', enabled }))
    const conversation = await this.conversations.requireMember(conversationId, actorId)
    return { conversation, messages: [message], added: [], removed: [], deleted: false }
  }
}
