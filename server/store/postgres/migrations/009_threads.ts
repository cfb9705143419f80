// Threads: each reply's place in its thread (counts, the root's summary) and
// each user's follow and read position (../threads.ts). Unread counts of a
// conversation leave out thread-only replies as they leave out system
// messages: one partial index covers both (../../uncounted.ts says which).

/**
 * The messages unread counts leave out; the same text in the index and the
 * query, so the planner uses the index. It reads the stored JSON as text, never
 * parses it: messages are json so that text may hold an escaped NUL, which
 * ->> refuses to read. The keys come from JSON.stringify with no spaces, and a
 * quote inside a message's text is escaped, so `"threadRoot":` matches only
 * the key.
 */
export const UNCOUNTED = `(kind = 'system' OR (message::text LIKE '%"threadRoot":%' AND message::text NOT LIKE '%"alsoInConversation":true%'))`

export const sql = /* sql */ `
CREATE TABLE thread_replies (
  conversation_id text COLLATE "C" NOT NULL,
  root_seq bigint NOT NULL,
  seq bigint NOT NULL,
  sender_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  mentioned text[] NOT NULL DEFAULT '{}',
  mention_all boolean NOT NULL DEFAULT false,
  CONSTRAINT thread_replies_pkey PRIMARY KEY (conversation_id, root_seq, seq)
);

CREATE TABLE thread_follows (
  conversation_id text COLLATE "C" NOT NULL,
  root_seq bigint NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  following boolean NOT NULL,
  read_seq bigint NOT NULL DEFAULT 0,
  CONSTRAINT thread_follows_pkey PRIMARY KEY (conversation_id, root_seq, user_id)
);

-- GET /threads: a user's followed threads.
CREATE INDEX thread_follows_user ON thread_follows (user_id) WHERE following;

CREATE INDEX messages_uncounted ON messages (conversation_id, seq) WHERE ${UNCOUNTED};
DROP INDEX messages_system;
`
