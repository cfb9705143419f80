import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** OWASP's scrypt parameters (N=2^17, r=8, p=1). */
export const DEFAULT_SCRYPT_N = 2 ** 17
const R = 8
const P = 1
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is below OWASP's cost.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  )
}

/** Encodes as `scrypt$N$r$p$salt$hash` so the cost can change without breaking old hashes. */
export async function hashPassword(password: string, N = DEFAULT_SCRYPT_N): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const [N, R_, P_] = [Number(n), Number(r), Number(p)]
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0
  if (!powerOfTwo || !Number.isInteger(R_) || R_ < 1 || !Number.isInteger(P_) || P_ < 1) return false
  const expected = Buffer.from(hash, 'base64url')
  let key: Buffer
  try {
    key = await derive(password, Buffer.from(salt, 'base64url'), N, R_, P_)
  } catch {
    return false // parameters scrypt refuses (e.g. too costly): not a hash we can accept
  }
  return key.length === expected.length && timingSafeEqual(key, expected)
}
