import { describe, expect, it } from 'vitest'
import { DEFAULT_SCRYPT_N, hashPassword, verifyPassword } from '../../../server/services/passwords'

/** A cheap cost for tests that are not about the cost. */
const FAST_N = 2 ** 10

function parse(encoded: string): { scheme: string; N: number; r: number; p: number; salt: Buffer; hash: Buffer } {
  const parts = encoded.split('$')
  expect(parts).toHaveLength(6)
  const [scheme, N, r, p, salt, hash] = parts as [string, string, string, string, string, string]
  return { scheme, N: Number(N), r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
}

describe('passwords', () => {
  it('hashes with OWASP scrypt cost by default (N=2^17, r=8, p=1) and verifies the right password only', async () => {
    const encoded = await hashPassword('correct horse battery staple')
    const parsed = parse(encoded)
    expect(parsed).toMatchObject({ scheme: 'scrypt', N: 2 ** 17, r: 8, p: 1 })
    expect(DEFAULT_SCRYPT_N).toBe(2 ** 17)
    expect(parsed.salt.length).toBeGreaterThanOrEqual(16)
    expect(parsed.hash.length).toBeGreaterThanOrEqual(32)
    expect(encoded).not.toContain('correct horse')
    const candidates = ['correct horse battery staple', 'correct horse battery stapl', 'Correct horse battery staple', '']
    const results = await Promise.all(candidates.map((pw) => verifyPassword(pw, encoded)))
    expect(results).toEqual([true, false, false, false])
  }, 60_000)

  it('salts: the same password hashes differently each time, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', FAST_N), hashPassword('same password', FAST_N)])
    expect(a).not.toBe(b)
    expect(parse(a).salt.equals(parse(b).salt)).toBe(false)
    expect(await verifyPassword('same password', a)).toBe(true)
    expect(await verifyPassword('same password', b)).toBe(true)
  })

  it('verifies with the cost stored in the hash, not the current default', async () => {
    const encoded = await hashPassword('old hash', FAST_N)
    expect(parse(encoded).N).toBe(FAST_N)
    expect(await verifyPassword('old hash', encoded)).toBe(true)
    expect(await verifyPassword('old hash', encoded.replace(`$${FAST_N}$`, `$${FAST_N * 2}$`))).toBe(false)
  })

  it('normalizes unicode (NFKC): composed and decomposed forms verify the same', async () => {
    const composed = 'caf\u00e9-pässwörd'
    const decomposed = 'cafe\u0301-pa\u0308sswo\u0308rd'
    expect(composed).not.toBe(decomposed)
    const fromComposed = await hashPassword(composed, FAST_N)
    const fromDecomposed = await hashPassword(decomposed, FAST_N)
    expect(await verifyPassword(decomposed, fromComposed)).toBe(true)
    expect(await verifyPassword(composed, fromDecomposed)).toBe(true)
    // Compatibility forms too: fullwidth letters are their ASCII letters under NFKC.
    expect(await verifyPassword('\uff50\uff41\uff53\uff53word', await hashPassword('password', FAST_N))).toBe(true)
    // But a different letter is still a different password.
    expect(await verifyPassword('cafe-pässwörd', fromComposed)).toBe(false)
  })

  it('returns false (never throws) for a malformed encoded hash', async () => {
    const valid = await hashPassword('pw', FAST_N)
    const { salt, hash } = parse(valid)
    const s = salt.toString('base64url')
    const h = hash.toString('base64url')
    const malformed = [
      '',
      'not a hash',
      'scrypt$',
      '$$$$$',
      `bcrypt$${FAST_N}$8$1$${s}$${h}`,
      `scrypt$${FAST_N}$8$1$${s}$`,
      `scrypt$${FAST_N}$8$1$$${h}`,
      `scrypt$${FAST_N}$8$1$${s}$${h.slice(0, 10)}`,
      `scrypt$abc$8$1$${s}$${h}`, // N not a number
      `scrypt$1000$8$1$${s}$${h}`, // N not a power of two
      `scrypt$-1024$8$1$${s}$${h}`,
      `scrypt$${FAST_N}$x$1$${s}$${h}`, // r not a number
      `scrypt$${FAST_N}$8$y$${s}$${h}` // p not a number
    ]
    const results: Record<string, unknown> = {}
    for (const encoded of malformed) {
      try {
        results[encoded] = await verifyPassword('pw', encoded)
      } catch (err) {
        results[encoded] = `threw: ${(err as Error).message}`
      }
    }
    expect(results).toEqual(Object.fromEntries(malformed.map((m) => [m, false])))
  })
})
