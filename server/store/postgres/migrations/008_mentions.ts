// Issue 20 (mentions): a membership's unread mentions (MembershipRecord.mentionSeqs,
// pruned as its read cursor moves), and who may write @here and @all in a group
// or room (NULL: everyone).
export const sql = /* sql */ `
ALTER TABLE memberships ADD COLUMN mention_seqs bigint[];
ALTER TABLE conversations ADD COLUMN broadcast_mentions text CHECK (broadcast_mentions IN ('everyone', 'admins'));
`
