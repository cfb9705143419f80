// Unread mentions on PostgreSQL: memberships.mention_seqs (migrations/008_mentions.ts),
// kept as mention-seqs.ts keeps them in the data directory. Written through the
// soft pool like cursor moves: a lost write costs a badge, not a message.
import type { MentionRepo } from '../types'
import { prepared, type Pool } from './pool'

export class PgMentionRepo implements MentionRepo {
  constructor(private readonly soft: Pool) {}

  async mark(conversationId: string, seq: number, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return
    // One statement for every member mentioned (an @all in a big room); pruned below each cursor on the way.
    await prepared(
      this.soft,
      'mentions_mark',
      `UPDATE memberships SET mention_seqs = array(
         SELECT s FROM unnest(coalesce(mention_seqs, '{}'::bigint[]) || $2::bigint) s WHERE s > read_seq GROUP BY s ORDER BY s)
       WHERE conversation_id = $1 AND user_id = ANY($3::text[]) AND read_seq < $2`,
      [conversationId, seq, userIds]
    )
  }

  async unmark(conversationId: string, seq: number, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return
    await prepared(
      this.soft,
      'mentions_unmark',
      `UPDATE memberships SET mention_seqs = nullif(array_remove(mention_seqs, $2::bigint), '{}')
       WHERE conversation_id = $1 AND user_id = ANY($3::text[]) AND $2::bigint = ANY(mention_seqs)`,
      [conversationId, seq, userIds]
    )
  }
}
