import { HealthResponse } from '../../../shared/schemas/health'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'
import type { ServerProbe } from '../../../shared/ipc'
import { normalizeServerUrl } from '../accounts'
import { ServerHttp } from '../http'

type ResetAndInfo = 'session.requestReset' | 'session.resetPassword' | 'server.info'

export function sessionHandlers(core: ClientCore): Omit<HandlersFor<'app' | 'server' | 'discovery' | 'session' | 'connection'>, ResetAndInfo> {
  const { secrets } = core.options
  return {
    'app.info': () => Promise.resolve({ version: core.options.version, platform: process.platform, host: core.options.host }),
    'app.secretStorage': () => Promise.resolve(secrets.status()),
    'app.allowPlaintextSecrets': ({ allow }) => secrets.allowPlaintext(allow),
    'app.appearance': () => Promise.resolve(core.appearance.get()),
    'app.setAppearance': (change) => core.appearance.set(change),

    'server.probe': async ({ serverUrl: candidates }) => {
      // Without a scheme: https first; a server that does not speak TLS there is tried over http.
      for (const [i, serverUrl] of candidates.entries()) {
        try {
          return await probe(core, serverUrl)
        } catch (err) {
          const last = i === candidates.length - 1
          if (last || !(err instanceof ClientError) || err.code !== 'unreachable') throw err
        }
      }
      throw new ClientError('validation_failed', 'give a server address')
    },
    'server.trust': async ({ serverUrl, fingerprint }) => {
      const url = normalizeServerUrl(serverUrl)
      const info = await core.trust.trust(url, fingerprint)
      await core.reopenServer(url)
      return info
    },

    'discovery.start': () => {
      core.discovery?.start()
      return Promise.resolve(core.discovery?.list() ?? [])
    },
    'discovery.stop': () => {
      core.discovery?.stop()
      return Promise.resolve(null)
    },

    'session.get': () => Promise.resolve(core.sessionState()),
    'session.login': ({ serverUrl, username, password }) => core.signIn(serverUrl, '/auth/login', { username, password }),
    'session.register': ({ serverUrl, ...body }) => core.signIn(serverUrl, '/auth/register', body),
    'session.logout': () => core.logout(),
    'session.switchAccount': ({ accountId }) => core.switchAccount(accountId),
    'session.unread': () => Promise.resolve(core.accounts.unread()),
    'session.knownServers': () => Promise.resolve(core.registry.knownServers()),

    'connection.get': () => Promise.resolve(core.connectionState()),
    'connection.retry': () => Promise.resolve(core.retryConnection())
  }
}

/** Asks /health; over https, first reads the certificate and asks over a connection pinned to it. */
async function probe(core: ClientCore, serverUrl: string): Promise<ServerProbe> {
  const url = normalizeServerUrl(serverUrl)
  const tls = new URL(url).protocol === 'https:' ? await core.trust.inspect(url) : null
  const http = tls ? new ServerHttp(url, tls.fetch) : core.http(url)
  let health
  try {
    health = fromServer(HealthResponse, await http.request('GET', '/health'), 'health answer')
  } catch (err) {
    if (err instanceof ClientError && (err.code === 'unreachable' || err.code === 'timeout')) throw err
    throw new ClientError('not_found', `no messenger server answers at ${url}`)
  }
  return { serverUrl: http.serverUrl, version: health.version, name: health.name ?? null, certificate: tls?.info ?? null }
}
