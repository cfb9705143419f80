import type { RequestHandler } from 'express'

import { ForgotPasswordBody, ForgotPasswordResponse } from '../../../src/shared/schemas/admin'
import { AuthResponse, LoginBody, LogoutBody, RefreshBody, RegisterBody, ResetPasswordBody, TokenPair } from '../../../src/shared/schemas/auth'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'
import { TokenReuseError } from '../../services/tokens'

export function authRoutes({
  services,
  realtime,
  loginLimiter,
  resetLimiter
}: RouteDeps & { loginLimiter: RequestHandler[]; resetLimiter: RequestHandler[] }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account and sign in (the first account on a server is its admin)',
      tag: 'auth',
      auth: false,
      body: RegisterBody,
      responses: { 201: { description: 'Account created', schema: AuthResponse } },
      errors: [403, 409],
      handler: async ({ body }) => ({ status: 201, body: await services.auth.register(body) })
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with username and password',
      tag: 'auth',
      auth: false,
      body: LoginBody,
      middleware: loginLimiter,
      responses: { 200: { description: 'Signed in', schema: AuthResponse } },
      errors: [401, 403, 429],
      handler: async ({ body }) => ({ status: 200, body: await services.auth.login(body) })
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for a new token pair (the old one is rotated out)',
      tag: 'auth',
      auth: false,
      body: RefreshBody,
      responses: { 200: { description: 'New tokens', schema: TokenPair } },
      errors: [401, 403],
      handler: async ({ body }) => {
        try {
          return { status: 200, body: await services.auth.refresh(body.refreshToken) }
        } catch (err) {
          // Theft detected: the thief's (or victim's) open sockets of that session go at once, as on logout.
          if (err instanceof TokenReuseError) realtime.sessionRevoked(err.sessionId)
          throw err
        }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/auth/forgot-password',
      summary: 'Ask for a password reset code by email; the answer never says whether the account exists',
      tag: 'auth',
      auth: false,
      body: ForgotPasswordBody,
      responses: { 202: { description: 'email: sent if the account has an address; admin: this server cannot email, ask an admin', schema: ForgotPasswordResponse } },
      handler: async ({ body }) => ({ status: 202, body: { delivery: await services.admin.forgotPassword(body.username) } })
    }),
    defineRoute({
      method: 'post',
      path: '/auth/reset-password',
      summary: 'Set a new password with a one-time reset code; every other session is signed out',
      tag: 'auth',
      auth: false,
      body: ResetPasswordBody,
      middleware: resetLimiter,
      responses: { 200: { description: 'Password set and signed in', schema: AuthResponse } },
      errors: [403, 429],
      handler: async ({ body }) => {
        const { auth, userId } = await services.auth.resetPassword(body)
        return { status: 200, body: auth, after: () => realtime.userSignedOut(userId) }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: "Sign this session out; its sockets are disconnected",
      tag: 'auth',
      auth: false,
      body: LogoutBody,
      responses: { 204: { description: 'Signed out (also when the token was unknown)' } },
      handler: async ({ body }) => {
        const sessionId = await services.tokens.revoke(body.refreshToken)
        return { status: 204, after: () => sessionId && realtime.sessionRevoked(sessionId) }
      }
    })
  ]
}

