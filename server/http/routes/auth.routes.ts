import type { RequestHandler } from 'express'

import { AuthResponse, LoginBody, LogoutBody, RefreshBody, RegisterBody, TokenPair } from '../../../src/shared/schemas/auth'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'
import { TokenReuseError } from '../../services/tokens'

export function authRoutes({ services, realtime, loginLimiter }: RouteDeps & { loginLimiter: RequestHandler }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account and sign in',
      tag: 'auth',
      auth: false,
      body: RegisterBody,
      responses: { 201: { description: 'Account created', schema: AuthResponse } },
      errors: [409],
      handler: async ({ body }) => ({ status: 201, body: await services.auth.register(body) })
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with username and password',
      tag: 'auth',
      auth: false,
      body: LoginBody,
      middleware: [loginLimiter],
      responses: { 200: { description: 'Signed in', schema: AuthResponse } },
      errors: [401, 429],
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
      errors: [401],
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

