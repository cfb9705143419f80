// Issue 21 (i21-attention): notification preferences and do-not-disturb, one
// JSON value per user (the whole NotificationPrefs; read and written whole),
// and the custom status's emoji and expiry on the user.
export const sql = /* sql */ `
CREATE TABLE notification_prefs (
  user_id text COLLATE "C" PRIMARY KEY REFERENCES users (id),
  prefs jsonb NOT NULL,
  -- Users whose do-not-disturb changes by itself: the server times those changes.
  timed boolean NOT NULL DEFAULT false
);
CREATE INDEX notification_prefs_timed_idx ON notification_prefs (user_id) WHERE timed;
ALTER TABLE users ADD COLUMN status_emoji text, ADD COLUMN status_expires_at timestamptz;
CREATE INDEX users_status_expires_idx ON users (status_expires_at) WHERE status_expires_at IS NOT NULL;
`
