// Short codes people read aloud and type: group join codes, sign-up invites and
// password resets share the alphabet and the rules for expiry and use counts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../src/shared/schemas/groups'
import type { JoinCodeRecord } from '../store/records'

/** 10 characters of a 32-letter alphabet: 50 random bits; guesses are rate limited. */
export function newCode(): string {
  const bytes = randomBytes(JOIN_CODE_LENGTH)
  let code = ''
  for (const b of bytes) code += JOIN_CODE_ALPHABET[b & 31]
  return code
}

/** A code with an optional expiry and use count, as stored. */
export function newCodeRecord(code: string, createdBy: string, now: number, body: { expiresInSeconds?: number; maxUses?: number }): JoinCodeRecord {
  return {
    code,
    createdBy,
    createdAt: new Date(now).toISOString(),
    expiresAt: body.expiresInSeconds ? new Date(now + body.expiresInSeconds * 1000).toISOString() : null,
    maxUses: body.maxUses ?? null,
    uses: 0
  }
}

/** Why a code can no longer be used ('expired' or 'used up'), or null when it can. */
export function codeSpent(record: JoinCodeRecord, now: number): string | null {
  if (record.expiresAt && Date.parse(record.expiresAt) <= now) return `expired at ${record.expiresAt}`
  if (record.maxUses !== null && record.uses >= record.maxUses) return 'has been used as many times as it allows'
  return null
}

export const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex')

/** Compares a typed code with a stored hash in constant time. */
export function codeMatches(code: string, hash: string): boolean {
  const a = Buffer.from(hashCode(code), 'hex')
  const b = Buffer.from(hash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
