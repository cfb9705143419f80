// A membership's unread mentions (MembershipRecord.mentionSeqs): the seqs
// above its read cursor, ascending, each once. Both engines keep the same list.

/** The seqs still unread once the cursor stands at `readSeq`; undefined when none is left. */
export function unreadMentions(seqs: readonly number[], readSeq: number): number[] | undefined {
  const left = seqs.filter((s) => s > readSeq)
  return left.length ? left : undefined
}

/** The list with `seq` added, pruned below the cursor (the sender's own messages move it without a prune). */
export function withMention(seqs: readonly number[] | undefined, readSeq: number, seq: number): number[] {
  const left = (seqs ?? []).filter((s) => s > readSeq && s !== seq)
  left.push(seq)
  return left.sort((a, b) => a - b)
}

/** How many mentions of a member are unread when they have read up to `readSeq` (cleared and expired history included). */
export function mentionCount(seqs: readonly number[] | undefined, readSeq: number): number {
  let count = 0
  for (const s of seqs ?? []) if (s > readSeq) count++
  return count
}
