// Invite links: messenger://join?server=…&fp=…&code=…&invite=… (the app's
// protocol handler), or a plain address typed by hand. `code=` is a group
// join code (the newcomer lands in that group); `invite=` is a sign-up invite
// code of an invite-only server (the sign-up form is filled with it). Shared
// by the window, which reads what the user pastes, and the core, which writes
// links for the host.
import { normalizeFingerprint } from './fingerprint'

export interface ServerInput {
  server: string
  /** The certificate fingerprint the link vouches for (canonical spelling), if any. */
  fingerprint: string | null
  /** A group join code, if any. */
  code: string | null
  /** A sign-up invite code, if any. */
  invite: string | null
}

/** What a link may carry besides the server. */
export interface InviteCodes {
  code?: string | undefined
  invite?: string | undefined
}

/** Reads an invite link or a plain address. A malformed fp is dropped: the user is then asked to compare. */
export function parseServerInput(input: string): ServerInput {
  const text = input.trim()
  if (/^messenger:/i.test(text)) {
    try {
      const url = new URL(text)
      const fp = url.searchParams.get('fp')
      return {
        server: url.searchParams.get('server') ?? '',
        fingerprint: fp ? normalizeFingerprint(fp) : null,
        code: url.searchParams.get('code'),
        invite: url.searchParams.get('invite')
      }
    } catch {
      return { server: '', fingerprint: null, code: null, invite: null }
    }
  }
  return { server: text, fingerprint: null, code: null, invite: null }
}

export function inviteLink(server: string, fingerprint: string | null, codes: InviteCodes = {}): string {
  const params = new URLSearchParams({ server })
  if (fingerprint) params.set('fp', fingerprint.replace(/:/g, ''))
  if (codes.code) params.set('code', codes.code)
  if (codes.invite) params.set('invite', codes.invite)
  return `messenger://join?${params.toString()}`
}
