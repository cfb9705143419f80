// Calls into main through window.messenger; an error Result becomes a
// UiError whose text is written for a person, not a developer.
import type { ErrorBody, ErrorCode } from '../../../shared/errors'

const WORDS: Partial<Record<ErrorCode, string>> = {
  invalid_credentials: 'Wrong username or password.',
  username_taken: 'That username is taken. Try another.',
  unreachable: 'Cannot reach the server. Check the address and that the server is running.',
  timeout: 'The server did not answer in time. Try again.',
  unauthorized: 'Please sign in again.',
  session_revoked: 'You were signed out. Please sign in again.',
  forbidden: 'You are not allowed to do that here.',
  not_found: 'That no longer exists.',
  rate_limited: 'Too many tries. Wait a moment and try again.',
  too_many_connections: 'This account is open in too many windows or on too many devices. Close some; this one tries again in half a minute.',
  join_code_expired: 'That join code has expired or was used up.',
  account_disabled: 'This account was disabled by the server admin.',
  registration_closed: 'This server takes no new accounts. Ask its admin.',
  invite_required: 'This server needs an invite code to sign up. Ask its admin for one.',
  invite_invalid: 'That invite code is wrong, expired or used up.',
  reset_code_invalid: 'That reset code is wrong, used already or expired.',
  payload_too_large: 'That is too large to send.',
  quota_exceeded: 'Your files take all the room this server gives you. Cancel unfinished uploads or ask the admin.',
  checksum_mismatch: 'The file arrived damaged. Try again.',
  unavailable: 'The server is not available right now.',
  internal: 'Something went wrong. Try again.',
  certificate_untrusted: 'This server’s certificate is not trusted yet. Choose the server again to compare its fingerprint.',
  data_too_new: 'This account’s data on this computer was saved by a newer version of LAN Messenger. Update the app to open it.',
  certificate_changed:
    'The server’s certificate changed. It may be another computer pretending to be your server. Ask the person who runs it before you trust the new one.'
}

export class UiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(words(body))
  }
  get code(): ErrorCode {
    return this.body.code
  }
}

/** Words for an error; validation messages from the contract already name the field. */
export function words(error: ErrorBody): string {
  if (error.code === 'validation_failed') return tidyValidation(error.message)
  return WORDS[error.code] ?? error.message
}

function tidyValidation(message: string): string {
  // "session.register: password: Too small: expected string to have >=8 characters" → "Password: too short (at least 8 characters)."
  const rest = message.replace(/^[a-z]+\.[A-Za-z]+: /, '')
  const min = /^(\w+): Too small: expected string to have >=(\d+) characters/.exec(rest)
  if (min) return `${capital(min[1]!)}: at least ${min[2]} characters.`
  const max = /^(\w+): Too big: expected string to have <=(\d+) characters/.exec(rest)
  if (max) return `${capital(max[1]!)}: at most ${max[2]} characters.`
  return capital(rest)
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

type Res<T> = Promise<{ ok: true; data: T } | { ok: false; error: ErrorBody }>

/** Unwraps a Result: the data, or a UiError. */
export async function unwrap<T>(result: Res<T>): Promise<T> {
  const r = await result
  if (!r.ok) throw new UiError(r.error)
  return r.data
}

export const api = (): Window['messenger'] => window.messenger
