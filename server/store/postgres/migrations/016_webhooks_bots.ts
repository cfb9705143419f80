// Issue 21 item 6: incoming webhooks and bot accounts. A bot is a user with
// bot = true; tokens are kept as their SHA-256 only (unique, looked up on
// every request). A conversation's webhooks go with it.
export const sql = /* sql */ `
ALTER TABLE users ADD COLUMN bot boolean;
CREATE TABLE webhooks (
  id text COLLATE "C" PRIMARY KEY,
  conversation_id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  bot_user_id text COLLATE "C" NOT NULL,
  token_hash text COLLATE "C" NOT NULL UNIQUE,
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_conversation ON webhooks (conversation_id, created_at);
CREATE TABLE bots (
  user_id text COLLATE "C" PRIMARY KEY,
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE bot_tokens (
  id text COLLATE "C" PRIMARY KEY,
  bot_id text COLLATE "C" NOT NULL REFERENCES bots (user_id) ON DELETE CASCADE,
  hash text COLLATE "C" NOT NULL UNIQUE,
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX bot_tokens_bot ON bot_tokens (bot_id, created_at);
`
