// Issue 20: pinned messages per conversation and saved messages per user.
// Both go with their conversation; a saved message also with its user. The
// message itself is looked up in `messages` when a list is read, so an edit
// shows and a deleted or expired message drops out.
export const sql = /* sql */ `
CREATE TABLE pins (
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  pinned_by text COLLATE "C" NOT NULL,
  pinned_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE saved_messages (
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  saved_at timestamptz NOT NULL,
  ord bigserial,
  PRIMARY KEY (user_id, conversation_id, seq)
);
CREATE INDEX saved_messages_user_idx ON saved_messages (user_id, ord);
`
