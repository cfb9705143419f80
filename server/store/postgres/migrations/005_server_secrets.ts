// What every node of one deployment must hold alike and makes only once: the
// key that signs access tokens and the self-signed TLS certificate (with its
// private key). The first node to store a value wins (INSERT … ON CONFLICT DO
// NOTHING, then read), so nodes starting at the same moment agree.
export const sql = /* sql */ `
CREATE TABLE server_secrets (
  name text COLLATE "C" PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`
