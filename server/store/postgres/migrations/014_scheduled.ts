// Scheduled messages (issue 21 item 4). The message is kept whole as JSON
// (read and written whole, never queried inside); send_at and failed find the
// due ones, and claimed_until (ms since the epoch) lets one node send each:
// the scheduler claims rows with UPDATE … RETURNING over SKIP LOCKED.
export const sql = /* sql */ `
CREATE TABLE scheduled_messages (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  send_at timestamptz NOT NULL,
  failed boolean NOT NULL DEFAULT false,
  claimed_until bigint NOT NULL DEFAULT 0,
  body jsonb NOT NULL
);
CREATE INDEX scheduled_messages_user ON scheduled_messages (user_id, send_at);
CREATE INDEX scheduled_messages_due ON scheduled_messages (send_at) WHERE NOT failed;
`
