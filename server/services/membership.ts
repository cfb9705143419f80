import type { MemberRole } from '../../src/shared/schemas/conversations'
import type { MembershipRecord } from '../store/records'

/** A new membership, joined now, with nothing read yet. */
export function member(conversationId: string, userId: string, role: MemberRole): MembershipRecord {
  return { conversationId, userId, role, joinedAt: new Date().toISOString(), readSeq: 0 }
}
