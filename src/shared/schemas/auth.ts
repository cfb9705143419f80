import { z } from 'zod'
import { LIMITS } from '../limits'
import { JoinCodeText } from './groups'
import { DisplayName, PublicUser, Username } from './users'

export const Password = z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax)

export const RegisterBody = z.strictObject({
  username: Username,
  password: Password,
  displayName: DisplayName.optional(),
  /** Needed when the server takes new accounts by invitation only. */
  inviteCode: JoinCodeText.optional()
})
export type RegisterBody = z.infer<typeof RegisterBody>

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(LIMITS.usernameMax),
  password: z.string().min(1).max(LIMITS.passwordMax)
})
export type LoginBody = z.infer<typeof LoginBody>

const RefreshToken = z.string().min(1).max(200)

export const RefreshBody = z.strictObject({ refreshToken: RefreshToken })
export const LogoutBody = z.strictObject({ refreshToken: RefreshToken })

export const TokenPair = z
  .object({ accessToken: z.string(), refreshToken: z.string() })
  .meta({ id: 'TokenPair' })
export type TokenPair = z.infer<typeof TokenPair>

export const AuthResponse = z
  .object({ user: PublicUser, accessToken: z.string(), refreshToken: z.string() })
  .meta({ id: 'AuthResponse' })
export type AuthResponse = z.infer<typeof AuthResponse>

/** Sets a new password with the one-time code an admin (or an email) gave; signs in. */
export const ResetPasswordBody = z.strictObject({
  username: z.string().min(1).max(LIMITS.usernameMax),
  code: JoinCodeText,
  password: Password
})
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>
