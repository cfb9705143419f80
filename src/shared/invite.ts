// Invite links: messenger://join?server=…&fp=…&code=… (the app's protocol
// handler), or a plain address typed by hand. Shared by the window, which
// reads what the user pastes, and the core, which writes links for the host.
import { normalizeFingerprint } from './fingerprint'

export interface ServerInput {
  server: string
  /** The certificate fingerprint the link vouches for (canonical spelling), if any. */
  fingerprint: string | null
  /** A group join code, if any. */
  code: string | null
}

/** Reads an invite link or a plain address. A malformed fp is dropped: the user is then asked to compare. */
export function parseServerInput(input: string): ServerInput {
  const text = input.trim()
  if (/^messenger:/i.test(text)) {
    try {
      const url = new URL(text)
      const fp = url.searchParams.get('fp')
      return { server: url.searchParams.get('server') ?? '', fingerprint: fp ? normalizeFingerprint(fp) : null, code: url.searchParams.get('code') }
    } catch {
      return { server: '', fingerprint: null, code: null }
    }
  }
  return { server: text, fingerprint: null, code: null }
}

export function inviteLink(server: string, fingerprint: string | null, code?: string): string {
  const params = new URLSearchParams({ server })
  if (fingerprint) params.set('fp', fingerprint.replace(/:/g, ''))
  if (code) params.set('code', code)
  return `messenger://join?${params.toString()}`
}
