import { HealthResponse } from '../../../shared/schemas/health'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

type ResetAndInfo = 'session.requestReset' | 'session.resetPassword' | 'server.info'

export function sessionHandlers(core: ClientCore): Omit<HandlersFor<'app' | 'server' | 'session' | 'connection'>, ResetAndInfo> {
  const { secrets } = core.options
  return {
    'app.info': () => Promise.resolve({ version: core.options.version, platform: process.platform, host: core.options.host }),
    'app.secretStorage': () => Promise.resolve(secrets.status()),
    'app.allowPlaintextSecrets': ({ allow }) => secrets.allowPlaintext(allow),

    'server.probe': async ({ serverUrl }) => {
      const http = core.http(serverUrl)
      let health
      try {
        health = fromServer(HealthResponse, await http.request('GET', '/health'), 'health answer')
      } catch (err) {
        if (err instanceof ClientError && (err.code === 'unreachable' || err.code === 'timeout')) throw err
        throw new ClientError('not_found', `no messenger server answers at ${serverUrl}`)
      }
      return { serverUrl: http.serverUrl, version: health.version }
    },

    'session.get': () => Promise.resolve(core.sessionState()),
    'session.login': ({ serverUrl, username, password }) => core.signIn(serverUrl, '/auth/login', { username, password }),
    'session.register': ({ serverUrl, ...body }) => core.signIn(serverUrl, '/auth/register', body),
    'session.logout': () => core.logout(),
    'session.switchAccount': ({ accountId }) => core.switchAccount(accountId),

    'connection.get': () => Promise.resolve(core.connectionState()),
    'connection.retry': () => Promise.resolve(core.retryConnection())
  }
}
