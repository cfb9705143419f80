// Unread counts leave system messages out (joins, renames, join codes): a
// conversation's unread is its seqs after the reader's cursor less the system
// messages among them, counted through this index. System messages are few,
// so it stays small and a count reads only the rows it counts.
export const sql = /* sql */ `
CREATE INDEX messages_system ON messages (conversation_id, seq) WHERE kind = 'system';
`
