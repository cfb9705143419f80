// Drafts (i20-drafts): one per user, conversation and thread (thread_root 0:
// the conversation's composer). Keyed to the membership, so leaving a
// conversation (or its deletion) drops the member's drafts there.
export const sql = /* sql */ `
CREATE TABLE drafts (
  user_id text COLLATE "C" NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  thread_root bigint NOT NULL,
  text text NOT NULL,
  reply_to bigint,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, conversation_id, thread_root),
  FOREIGN KEY (conversation_id, user_id) REFERENCES memberships (conversation_id, user_id) ON DELETE CASCADE
);
CREATE INDEX drafts_membership_idx ON drafts (conversation_id, user_id);
`
