import { randomUUID } from 'node:crypto'
import type { AuthResponse, LoginBody, RegisterBody, TokenPair } from '../../src/shared/schemas/auth'
import { AppError } from '../errors'
import type { UserRepo } from '../store/types'
import { hashPassword, verifyPassword } from './passwords'
import type { TokenService } from './tokens'
import { toPublicUser } from './users.service'

export class AuthService {
  /** Verified against when a username is unknown, so timing does not reveal which names exist. */
  private decoyHash: Promise<string> | null = null

  constructor(
    private readonly users: UserRepo,
    private readonly tokens: TokenService,
    private readonly scryptN: number
  ) {}

  async register(body: RegisterBody): Promise<AuthResponse> {
    if (this.users.byUsername(body.username)) {
      throw new AppError('username_taken', `the username "${body.username}" is already taken`)
    }
    const passwordHash = await hashPassword(body.password, this.scryptN)
    // Checked again: another registration may have taken the name while we hashed.
    if (this.users.byUsername(body.username)) {
      throw new AppError('username_taken', `the username "${body.username}" is already taken`)
    }
    const user = {
      id: randomUUID(),
      username: body.username,
      usernameLower: body.username.toLowerCase(),
      displayName: body.displayName ?? body.username,
      statusText: '',
      passwordHash,
      createdAt: new Date().toISOString()
    }
    await this.users.create(user)
    return { user: toPublicUser(user), ...(await this.tokens.startSession(user.id)) }
  }

  async login(body: LoginBody): Promise<AuthResponse> {
    const user = this.users.byUsername(body.username)
    if (!user) {
      this.decoyHash ??= hashPassword('decoy password', this.scryptN)
      await verifyPassword(body.password, await this.decoyHash)
      throw new AppError('invalid_credentials', 'wrong username or password')
    }
    if (!(await verifyPassword(body.password, user.passwordHash))) {
      throw new AppError('invalid_credentials', 'wrong username or password')
    }
    return { user: toPublicUser(user), ...(await this.tokens.startSession(user.id)) }
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const { accessToken, refreshToken: next, userId } = await this.tokens.refresh(refreshToken)
    if (!this.users.byId(userId)) throw new AppError('session_revoked', 'this account no longer exists')
    return { accessToken, refreshToken: next }
  }
}
