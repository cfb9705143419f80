// Issue 21: the linkPreviews server setting (a message's preview lives in its JSON, as its reactions do).
export const sql = /* sql */ `
ALTER TABLE server_settings ADD COLUMN link_previews text NOT NULL DEFAULT 'public'
  CHECK (link_previews IN ('off', 'public', 'all'));
`
