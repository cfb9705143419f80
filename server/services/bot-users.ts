import { randomBytes, randomUUID } from 'node:crypto'
import { AppError } from '../errors'
import type { UserRecord } from '../store/records'
import type { Store } from '../store/types'

/**
 * Stores a bot user (issue 21): bot = true and no password, so it can never
 * sign in. `username` given (a bot account) must be free; a webhook's gets a
 * made-up one (`hook-…`).
 */
export async function newBotUser(store: Store, prefix: string, displayName: string, now: number, username?: string): Promise<UserRecord> {
  const name = username ?? `${prefix}-${randomBytes(5).toString('hex')}`
  const user: UserRecord = {
    id: randomUUID(),
    username: name,
    usernameLower: name.toLowerCase(),
    displayName,
    statusText: '',
    avatar: null,
    passwordHash: '',
    createdAt: new Date(now).toISOString(),
    bot: true
  }
  if (!(await store.users.create(user))) throw new AppError('username_taken', `the username ${name} is taken`)
  return user
}
