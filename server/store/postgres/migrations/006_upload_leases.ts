// Unfinished uploads' progress and their writer's lease, so that several
// nodes on one database share them: an upload started through one node
// resumes through another, and one request at a time writes it.
//
// upload_offset: bytes durably in the part file (NULL: not recorded yet,
// e.g. a row from before this migration or an import; FileStore reads it
// from the part file at start). touched_at: epoch ms of the server clock
// when bytes last came. lease: the writing request's random token, on the
// node whose session (session_lock_alive) holds advisory key lease_node,
// until lease_until on the database's clock.
export const sql = /* sql */ `
ALTER TABLE files
  ADD COLUMN upload_offset bigint,
  ADD COLUMN touched_at bigint,
  ADD COLUMN lease text COLLATE "C",
  ADD COLUMN lease_node bigint,
  ADD COLUMN lease_until timestamptz;

CREATE INDEX files_unfinished_idx ON files (touched_at) WHERE NOT complete;

-- Whether some session of this database holds advisory lock p_key (the bigint form).
-- A node's session ends when its process dies (the kernel closes its socket),
-- so its leases lapse at once rather than at lease_until.
CREATE FUNCTION messenger_session_lock_alive(p_key bigint) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 1
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid = ((p_key >> 32) & 4294967295)::oid AND objid = (p_key & 4294967295)::oid
  )
$$;

-- Whether a writer's lease is free to take: none, expired, or its node gone.
CREATE FUNCTION messenger_lease_free(p_lease text, p_node bigint, p_until timestamptz) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN p_lease IS NULL OR p_until <= clock_timestamp() THEN true
    WHEN p_node IS NULL THEN false
    ELSE NOT messenger_session_lock_alive(p_node)
  END
$$;
`
