import type { AdminUser, CreateInviteBody, Invite, PasswordReset, ServerInfo, ServerSettings, UpdateAdminUserBody, UpdateSettingsBody } from '../../src/shared/schemas/admin'
import type { Logger } from 'pino'
import { AppError, forbidden, notFound } from '../errors'
import type { UserRecord } from '../store/records'
import type { Store } from '../store/types'
import { codeMatches, codeSpent, hashCode, newCode, newCodeRecord } from './codes'
import type { Mailer } from './mailer'
import { toPublicUser } from './users.service'

const FORGOT_EMAIL_INTERVAL_MS = 60_000

export interface AdminSettings {
  /** How long a password reset code works. */
  resetCodeTtlMs: number
  /** Sends reset codes by email; null when the server has no SMTP settings. */
  mailer: Mailer | null
}

/** A change that ended sessions: the caller disconnects their sockets once it has answered. */
export interface Ended<T> {
  result: T
  /** The user whose sockets must go, or null. */
  disconnect: string | null
}

export function toAdminUser(user: UserRecord): AdminUser {
  return {
    ...toPublicUser(user),
    serverAdmin: user.serverAdmin ?? false,
    disabled: Boolean(user.disabledAt),
    email: user.email ?? null,
    lastSeenAt: user.lastSeenAt ?? null
  }
}

/** Accounts, invites, settings and password resets, for server admins (REST and the CLI). */
export class AdminService {
  constructor(
    private readonly store: Store,
    private readonly settings: AdminSettings,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly onRetentionChanged: () => void = () => undefined
  ) {}

  /** Refuses anyone who is not a server admin. */
  async requireAdmin(userId: string): Promise<void> {
    if (!(await this.store.users.byId(userId))?.serverAdmin) throw forbidden('only a server admin may do that')
  }

  /** Data written before administration existed has no admin: the oldest account becomes it. */
  async ensureAdmin(): Promise<UserRecord | null> {
    const users = await this.store.users.all()
    if (users.length === 0 || users.some((u) => u.serverAdmin)) return null
    const oldest = users[0]!
    await this.store.users.update(oldest.id, { serverAdmin: true })
    this.log.warn({ userId: oldest.id, username: oldest.username }, 'no server admin yet: the oldest account is now the admin')
    return oldest
  }

  async info(): Promise<ServerInfo> {
    const { name, registration } = await this.store.admin.settings()
    return { name, registration, passwordResetByEmail: this.settings.mailer !== null }
  }

  getSettings(): Promise<ServerSettings> {
    return this.store.admin.settings()
  }

  async updateSettings(patch: UpdateSettingsBody): Promise<ServerSettings> {
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
    const before = (await this.store.admin.settings()).retentionDays
    const settings = await this.store.admin.updateSettings(changes)
    if (settings.retentionDays !== null && settings.retentionDays !== before) this.onRetentionChanged()
    return settings
  }

  async listUsers(): Promise<AdminUser[]> {
    return (await this.store.users.all()).map(toAdminUser)
  }

  /** The account of that id, or the one of that username (the CLI names people by username). */
  async find(idOrUsername: string): Promise<UserRecord> {
    const user = (await this.store.users.byId(idOrUsername)) ?? (await this.store.users.byUsername(idOrUsername))
    if (!user) throw notFound('user')
    return user
  }

  /** Disables or enables an account, makes or revokes an admin. The server always keeps one enabled admin. */
  async updateUser(actorId: string | null, userId: string, patch: UpdateAdminUserBody): Promise<Ended<AdminUser>> {
    const user = await this.find(userId)
    const disabling = patch.disabled === true && !user.disabledAt
    const demoting = patch.serverAdmin === false && user.serverAdmin === true
    if (disabling && actorId === user.id) throw new AppError('conflict', 'you cannot disable your own account')
    if ((disabling || demoting) && user.serverAdmin && !user.disabledAt) {
      const others = (await this.store.users.all()).filter((u) => u.serverAdmin && !u.disabledAt && u.id !== user.id)
      if (others.length === 0) throw new AppError('conflict', 'this is the last enabled server admin; make someone else admin first')
    }
    const changes: Partial<UserRecord> = {}
    if (patch.serverAdmin !== undefined) changes.serverAdmin = patch.serverAdmin
    if (patch.disabled !== undefined) changes.disabledAt = patch.disabled ? (user.disabledAt ?? new Date(this.now()).toISOString()) : null
    const updated = await this.store.users.update(user.id, changes)
    if (disabling) {
      await this.store.tokens.revokeUser(user.id, this.now())
      await this.store.admin.deleteResetCode(user.id)
    }
    this.log.info({ actorId, userId: user.id, ...patch }, 'account changed by an admin')
    return { result: toAdminUser(updated), disconnect: disabling ? user.id : null }
  }

  /**
   * Issues a one-time reset code (only its hash is kept) and signs the user out
   * everywhere. The code is emailed when SMTP is set up and the user has an
   * address; otherwise the admin gets it to hand over.
   */
  async resetPassword(actorId: string | null, userId: string): Promise<Ended<PasswordReset>> {
    const user = await this.find(userId)
    const { code, expiresAt } = await this.issueCode(user)
    await this.store.tokens.revokeUser(user.id, this.now())
    const emailed = await this.email(user, code)
    this.log.info({ actorId, userId: user.id, emailed }, 'password reset issued')
    return { result: { code: emailed ? null : code, emailed, expiresAt }, disconnect: user.id }
  }

  /** A signed-out user asks for a code by email. The answer never says whether the account exists. */
  async forgotPassword(username: string): Promise<'email' | 'admin'> {
    if (!this.settings.mailer) return 'admin'
    const user = await this.store.users.byUsername(username)
    // One email a minute per account at most: anyone may ask, so asking must not flood an inbox.
    const recent = user && ((await this.store.admin.resetCode(user.id))?.createdAt ?? -Infinity) > this.now() - FORGOT_EMAIL_INTERVAL_MS
    if (user?.email && !user.disabledAt && !recent) {
      const { code } = await this.issueCode(user)
      await this.email(user, code)
    }
    return 'email'
  }

  /** Checks a reset code and uses it up (single use); the caller sets the new password. */
  async consumeResetCode(user: UserRecord, code: string): Promise<void> {
    const reset = await this.store.admin.resetCode(user.id)
    const invalid = new AppError('reset_code_invalid', 'this reset code is wrong, was used already or has expired; ask an admin for a new one')
    if (!reset || !codeMatches(code, reset.hash)) throw invalid
    await this.store.admin.deleteResetCode(user.id)
    if (reset.expiresAt <= this.now()) throw invalid
  }

  /** Whether sign-up is allowed now, with this invite code (checked before the password is hashed). */
  async checkRegistration(inviteCode: string | undefined): Promise<void> {
    const { registration } = await this.store.admin.settings()
    // The very first account (the admin) may always be made.
    if ((await this.store.users.count()) === 0) return
    if (registration === 'closed') throw new AppError('registration_closed', 'this server takes no new accounts; ask its admin')
    if (registration === 'invite') {
      if (!inviteCode) throw new AppError('invite_required', 'this server takes new accounts by invitation only: give inviteCode')
      const invite = await this.store.admin.invite(inviteCode)
      if (!invite) throw new AppError('invite_invalid', 'this invite code is not valid: it was revoked or mistyped')
      const spent = codeSpent(invite, this.now())
      if (spent) throw new AppError('invite_invalid', `this invite code ${spent}; ask an admin for a new one`)
    }
  }

  /** Counts a use of the invite a new account is made with (on an invite-only server). */
  async useInvite(inviteCode: string | undefined): Promise<void> {
    if ((await this.store.admin.settings()).registration !== 'invite' || !inviteCode) return
    const invite = await this.store.admin.invite(inviteCode)
    if (invite) await this.store.admin.saveInvite({ ...invite, uses: invite.uses + 1 })
  }

  listInvites(): Promise<Invite[]> {
    return this.store.admin.invites()
  }

  async createInvite(actorId: string, body: CreateInviteBody): Promise<Invite> {
    let code = newCode()
    while (await this.store.admin.invite(code)) code = newCode()
    const invite = newCodeRecord(code, actorId, this.now(), { ...body, maxUses: body.maxUses ?? 1 })
    await this.store.admin.saveInvite(invite)
    return invite
  }

  async deleteInvite(code: string): Promise<void> {
    if (!(await this.store.admin.deleteInvite(code))) throw notFound('invite')
  }

  private async issueCode(user: UserRecord): Promise<{ code: string; expiresAt: string }> {
    const now = this.now()
    const code = newCode()
    const expiresAt = now + this.settings.resetCodeTtlMs
    await this.store.admin.saveResetCode({ userId: user.id, hash: hashCode(code), expiresAt, createdAt: now })
    return { code, expiresAt: new Date(expiresAt).toISOString() }
  }

  /** True once the code went out; a failure is logged and the code is handed to the admin instead. */
  private async email(user: UserRecord, code: string): Promise<boolean> {
    if (!this.settings.mailer || !user.email) return false
    const { name } = await this.store.admin.settings()
    try {
      await this.settings.mailer.send(
        user.email,
        `Your password reset code for ${name}`,
        `Hello ${user.displayName},\n\nyour code to set a new password on ${name} is:\n\n    ${code}\n\n` +
          `Enter it with your username on the sign-in screen ("Forgot password?"). It works once and expires in ` +
          `${Math.round(this.settings.resetCodeTtlMs / 60_000)} minutes. If you did not ask for it, tell your admin.\n`
      )
      return true
    } catch (err) {
      this.log.error({ err, userId: user.id }, 'could not email the password reset code')
      return false
    }
  }
}
