import { randomUUID } from 'node:crypto'
import type { AuthResponse, LoginBody, RegisterBody, ResetPasswordBody, TokenPair } from '../../src/shared/schemas/auth'
import { AppError } from '../errors'
import type { UserRecord } from '../store/records'
import type { KeyedLock, UserRepo } from '../store/types'
import type { AdminService } from './admin.service'
import { hashPassword, verifyPassword } from './passwords'
import type { TokenService } from './tokens'
import { toPublicUser } from './users.service'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'

export class AuthService {
  /** Verified against when a username is unknown, so timing does not reveal which names exist. */
  private decoyHash: Promise<string> | null = null

  constructor(
    private readonly users: UserRepo,
    private readonly tokens: TokenService,
    private readonly scryptN: number,
    private readonly admin: AdminService,
    /** The store's: on PostgreSQL it holds across every node. */
    private readonly locks: KeyedLock = new OneAtATimePerKey(),
    /** A user group's @handle is not a username anyone may take (a mention must name one). */
    private readonly handleInUse: (username: string) => Promise<boolean> = () => Promise.resolve(false)
  ) {}

  async register(body: RegisterBody): Promise<AuthResponse> {
    await this.admin.checkRegistration(body.inviteCode)
    if (await this.users.byUsername(body.username)) throw usernameTaken(body.username)
    const passwordHash = await hashPassword(body.password, this.scryptN)
    return this.locks.run('sign-up', () => this.create(body, passwordHash))
  }

  /**
   * Sign-ups go through here one at a time, on every node of a deployment
   * (the store's lock), so the invite check, the first-account check and the
   * count of the invite's uses see each other: one first account is the
   * admin, and a single-use invite makes one account.
   */
  private async create(body: RegisterBody, passwordHash: string): Promise<AuthResponse> {
    // Checked again: another registration may have taken the last use of the invite while we hashed.
    await this.admin.checkRegistration(body.inviteCode)
    const user: UserRecord = {
      id: randomUUID(),
      username: body.username,
      usernameLower: body.username.toLowerCase(),
      displayName: body.displayName ?? body.username,
      statusText: '',
      passwordHash,
      createdAt: new Date().toISOString(),
      // The first account on a server runs it.
      ...((await this.users.count()) === 0 ? { serverAdmin: true } : {})
    }
    // Under the sign-up lock, which user groups take to claim a handle too.
    if (await this.handleInUse(body.username)) throw usernameTaken(body.username)
    // The store refuses a taken name (any case) atomically, whichever sign-up came first.
    if (!(await this.users.create(user))) throw usernameTaken(body.username)
    await this.admin.useInvite(body.inviteCode)
    return { user: toPublicUser(user), ...(await this.tokens.startSession(user.id)) }
  }

  async login(body: LoginBody): Promise<AuthResponse> {
    const user = await this.users.byUsername(body.username)
    // A bot never signs in (it has no password): answered as an unknown name.
    if (!user || user.bot) {
      this.decoyHash ??= hashPassword('decoy password', this.scryptN)
      await verifyPassword(body.password, await this.decoyHash)
      throw new AppError('invalid_credentials', 'wrong username or password')
    }
    if (!(await verifyPassword(body.password, user.passwordHash))) {
      throw new AppError('invalid_credentials', 'wrong username or password')
    }
    // Said only after the right password, so it tells a guesser nothing.
    assertEnabled(user)
    return { user: toPublicUser(user), ...(await this.tokens.startSession(user.id)) }
  }

  /** Sets a new password with a one-time reset code; every other session is signed out, and this one starts. */
  async resetPassword(body: ResetPasswordBody): Promise<{ auth: AuthResponse; userId: string }> {
    const user = await this.users.byUsername(body.username)
    if (!user) throw new AppError('reset_code_invalid', 'this reset code is wrong, was used already or has expired; ask an admin for a new one')
    // One at a time per account on every node: a code is used once, even by two requests at the same moment.
    await this.locks.run(`reset:${user.id}`, () => this.admin.consumeResetCode(user, body.code))
    assertEnabled(user)
    const passwordHash = await hashPassword(body.password, this.scryptN)
    await this.users.update(user.id, { passwordHash })
    await this.tokens.revokeUser(user.id)
    return { auth: { user: toPublicUser(user), ...(await this.tokens.startSession(user.id)) }, userId: user.id }
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    // A disabled account hears why, rather than just that its session ended.
    const ownerId = await this.tokens.userOf(refreshToken)
    const owner = ownerId === undefined ? undefined : await this.users.byId(ownerId)
    if (owner) assertEnabled(owner)
    const { accessToken, refreshToken: next, userId } = await this.tokens.refresh(refreshToken)
    const user = await this.users.byId(userId)
    if (!user) throw new AppError('session_revoked', 'this account no longer exists')
    assertEnabled(user)
    return { accessToken, refreshToken: next }
  }
}

const usernameTaken = (username: string): AppError => new AppError('username_taken', `the username "${username}" is already taken`)

function assertEnabled(user: UserRecord): void {
  if (user.disabledAt) throw new AppError('account_disabled', 'this account was disabled by a server admin')
}
