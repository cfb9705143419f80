// Message history and its search (../messages.ts, ../search.ts). Embedded as
// a string, as 001 is, so the esbuild bundle carries it.
//
// Each conversation has one counter row. Appends, changes, retention and
// drops lock it first (and only then message rows), so per conversation they
// run one at a time and always in one lock order: seqs and change versions
// are handed out without gaps, and commit order is their order. The
// conversations table is not referenced: history keeps its own rows.
export const sql = /* sql */ `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE message_counters (
  conversation_id text COLLATE "C" PRIMARY KEY,
  -- The newest seq handed out (messages expired_seq+1 .. last_seq exist).
  last_seq bigint NOT NULL DEFAULT 0,
  -- The latest change number (edits, deletions, reactions); never goes back.
  version bigint NOT NULL DEFAULT 0,
  -- Retention deleted the messages up to here.
  expired_seq bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 50); -- room for HOT updates: every append updates its row

CREATE TABLE messages (
  conversation_id text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  -- Search paging cursor: rises with insertion (so with time); never a seq.
  search_id bigint GENERATED ALWAYS AS IDENTITY,
  sender_id text COLLATE "C" NOT NULL,
  client_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  kind text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  -- The change number of the latest edit, deletion or reaction (null: never changed).
  version bigint,
  -- The current text folded for search (lower case, no accents on Latin letters).
  search_text text NOT NULL,
  -- Ids of the files attached when it was sent (what retention reports).
  attachment_ids text[],
  -- The whole Message in its latest state. json, not jsonb: it is kept and
  -- returned as written (jsonb refuses the escaped NUL character and lone
  -- surrogates, which a message text may hold), and nothing inside is queried.
  message json NOT NULL,
  CONSTRAINT messages_pkey PRIMARY KEY (conversation_id, seq),
  -- A retried send (same sender and clientId) finds the first message.
  CONSTRAINT messages_client_key UNIQUE (conversation_id, sender_id, client_id)
);

-- changes(): a conversation's changed messages by version.
CREATE INDEX messages_changes ON messages (conversation_id, version) WHERE version IS NOT NULL;

-- search(): partial words in live text messages.
CREATE INDEX messages_search ON messages USING gin (search_text gin_trgm_ops) WHERE kind = 'text' AND NOT deleted;

-- One round trip per send: takes the seq from the locked counter row and
-- inserts the message, as one statement (the caller runs it in autocommit,
-- so it has committed when the call returns). p_message is the Message as
-- JSON without its seq, which is put first. A retry of a known (sender,
-- clientId) answers the stored message with created = false, also when an
-- identical send committed while this one waited for the counter lock: the
-- seq taken is then given back, so none is ever skipped.
CREATE FUNCTION messenger_append_message(
  p_conversation_id text,
  p_sender_id text,
  p_client_id text,
  p_created_at timestamptz,
  p_kind text,
  p_search_text text,
  p_attachment_ids text[],
  p_message text
) RETURNS TABLE (created boolean, seq bigint, message json)
LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_existing json;
BEGIN
  SELECT m.message INTO v_existing FROM messages m
  WHERE m.conversation_id = p_conversation_id AND m.sender_id = p_sender_id AND m.client_id = p_client_id;
  IF FOUND THEN
    RETURN QUERY SELECT false, NULL::bigint, v_existing;
    RETURN;
  END IF;

  INSERT INTO message_counters AS c (conversation_id, last_seq) VALUES (p_conversation_id, 1)
  ON CONFLICT (conversation_id) DO UPDATE SET last_seq = c.last_seq + 1
  RETURNING c.last_seq INTO v_seq;

  INSERT INTO messages (conversation_id, seq, sender_id, client_id, created_at, kind, search_text, attachment_ids, message)
  VALUES (p_conversation_id, v_seq, p_sender_id, p_client_id, p_created_at, p_kind, p_search_text, p_attachment_ids,
          ('{"seq":' || v_seq || ',' || substr(p_message, 2))::json)
  ON CONFLICT ON CONSTRAINT messages_client_key DO NOTHING;
  IF FOUND THEN
    RETURN QUERY SELECT true, v_seq, NULL::json;
    RETURN;
  END IF;

  -- An identical send won the race: give the seq back and answer its message.
  UPDATE message_counters c SET last_seq = c.last_seq - 1 WHERE c.conversation_id = p_conversation_id;
  SELECT m.message INTO STRICT v_existing FROM messages m
  WHERE m.conversation_id = p_conversation_id AND m.sender_id = p_sender_id AND m.client_id = p_client_id;
  RETURN QUERY SELECT false, NULL::bigint, v_existing;
END
$$;
`
