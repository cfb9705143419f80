// A server certificate's SHA-256 fingerprint, spelled one way everywhere:
// 32 upper-case hex bytes joined by colons (as Node's X509Certificate and
// browsers show it). Invite links and typed input may leave out the colons.

const HEX64 = /^[0-9a-f]{64}$/i

/** The canonical spelling, or null when the text is not a SHA-256 fingerprint. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.trim().replace(/[:\s-]/g, '')
  if (!HEX64.test(hex)) return null
  return hex.toUpperCase().match(/../g)!.join(':')
}

/** The same fingerprint, or not (spelling aside). */
export function sameFingerprint(a: string, b: string): boolean {
  const x = normalizeFingerprint(a)
  return x !== null && x === normalizeFingerprint(b)
}
