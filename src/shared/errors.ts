// Error codes shared by REST, Socket.IO acks and IPC results. A client maps a
// code to words a person understands; the message is for developers and logs.

export const ERROR_STATUS = {
  validation_failed: 400,
  bad_json: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  token_expired: 401,
  invalid_token: 401,
  session_revoked: 401,
  forbidden: 403,
  /** The account was disabled by a server admin: no sign-in, no refresh. */
  account_disabled: 403,
  /** This server takes no new accounts. */
  registration_closed: 403,
  /** This server takes new accounts only with an invite code from an admin. */
  invite_required: 403,
  /** The invite code is unknown, revoked, expired or used up. */
  invite_invalid: 403,
  not_found: 404,
  conflict: 409,
  /** An upload's bytes do not match the SHA-256 its sender declared: it was discarded. */
  checksum_mismatch: 409,
  /** tus: a chunk's bytes do not match its Upload-Checksum: the chunk was not kept (460 is tus's status). */
  chunk_checksum_mismatch: 460,
  username_taken: 409,
  /** A user group's @handle is taken (by another group or a username). */
  handle_taken: 409,
  /** A call already has as many participants as a mesh carries (8). */
  call_full: 409,
  join_code_expired: 410,
  /** The password reset code is wrong, used already or expired. */
  reset_code_invalid: 400,
  /** tus: the request's Tus-Resumable names a protocol version this server does not speak. */
  precondition_failed: 412,
  payload_too_large: 413,
  /** The sender's files would pass their quota on this server. */
  quota_exceeded: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  rate_limited: 429,
  /** A socket handshake refused: the session or user already has as many sockets open as allowed. */
  too_many_connections: 429,
  internal: 500,
  unavailable: 503,
  // Client-side only, never sent by the server: the server could not be
  // reached, or did not answer in time.
  unreachable: 503,
  timeout: 504,
  // Client-side only: an https server whose certificate the user has not
  // trusted yet, or one that presents another certificate than the pinned one
  // (495: nginx's "SSL certificate error").
  certificate_untrusted: 495,
  certificate_changed: 495,
  // Client-side only: this computer's data of an account was written by a
  // newer app (a format this one cannot read); the account stays closed.
  data_too_new: 409,
  // Client-side only (the window's calls): the microphone, camera or screen
  // was refused (by the user or the host), or there is none / it is in use.
  media_denied: 403,
  media_unavailable: 503
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]

export interface ErrorBody {
  code: ErrorCode
  message: string
  /** With `rate_limited`: milliseconds until a retry can succeed (REST also sends Retry-After in seconds). */
  retryAfterMs?: number
}

/** The result shape of every acknowledged socket event and IPC call. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

export function ok<T>(data: T): Result<T> {
  return { ok: true, data }
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } }
}
