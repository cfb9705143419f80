// Limits every side agrees on; the server enforces them, clients use them to
// warn before sending.
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 256,
  displayNameMax: 64,
  statusTextMax: 140,
  groupTitleMax: 100,
  roomNameMax: 64,
  groupDescriptionMax: 1000,
  /** A data: URL of a small image (about 96 KB of image data). */
  avatarMax: 131_072,
  groupMembersMax: 1000,
  messageTextMax: 8000,
  mentionsMax: 100,
  replyPreviewMax: 120,
  reactionsPerMessageMax: 50,
  clientIdMax: 64,
  pageSizeDefault: 50,
  pageSizeMax: 200,
  searchResultsMax: 50,
  /** The note sent with a contact invitation. */
  invitationMessageMax: 280,
  serverNameMax: 64,
  emailMax: 254,
  /** Bounds of the admins' file size limit: 1 KB to 4 GB. */
  fileBytesMin: 1024,
  fileBytesMax: 4 * 1024 ** 3,
  /** The file size limit until an admin or the operator sets another: 2 GiB. */
  fileBytesDefault: 2 * 1024 ** 3,
  retentionDaysMax: 36_500,
  /** Bytes of a file's name as kept and shown (file systems allow 255). */
  fileNameMax: 255,
  /** A data: URL of an image attachment's preview (about 24 KB of image data). */
  thumbnailMax: 32_768,
  attachmentsMax: 10,
  /** Issue 20: conversations one forward goes to at once (the forward dialog's choice). */
  forwardTargetsMax: 20,
  /** A pasted image (it has no file on disk, so its bytes cross IPC). */
  pastedBytesMax: 32 * 1024 * 1024
} as const
