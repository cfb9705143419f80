// User groups (@design), issue 20. A handle is stored lower-case and unique
// (byte order: handles are ASCII); members and managers are id arrays, read
// whole with their group, and the GIN index answers "the groups of a user".
export const sql = /* sql */ `
CREATE TABLE user_groups (
  id text COLLATE "C" PRIMARY KEY,
  handle text COLLATE "C" NOT NULL,
  name text NOT NULL,
  member_ids text[] NOT NULL DEFAULT '{}',
  manager_ids text[] NOT NULL DEFAULT '{}',
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT user_groups_handle_key UNIQUE (handle)
);
CREATE INDEX user_groups_members ON user_groups USING gin (member_ids);
`
