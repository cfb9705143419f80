import { join } from 'node:path'
import { hostname } from 'node:os'
import type { HostingStatus } from '../../../shared/ipc'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import { DEFAULT_HOSTING_PORT } from '../hosting/settings'
import type { HandlersFor } from './index'

export function hostingHandlers(core: ClientCore): HandlersFor<'hosting'> {
  const hosting = () => {
    if (!core.hosting) throw new ClientError('unavailable', 'this build of the app cannot host a server')
    return core.hosting
  }
  return {
    'hosting.status': () => Promise.resolve(core.hosting?.status() ?? unavailable(core)),
    'hosting.start': (choices) => hosting().start(choices),
    'hosting.stop': () => hosting().stop(),
    'hosting.setAutoStart': ({ autoStart }) => hosting().setAutoStart(autoStart),
    'hosting.setNetwork': (choice) => hosting().setNetwork(choice),
    'hosting.invite': ({ serverUrl, code, invite }) => hosting().invite(serverUrl, { code, invite })
  }
}

function unavailable(core: ClientCore): HostingStatus {
  return {
    state: 'unavailable',
    autoStart: false,
    port: DEFAULT_HOSTING_PORT,
    name: hostname(),
    fingerprint: null,
    urls: [],
    localUrl: null,
    listen: { mode: 'all' },
    advertise: true,
    advertised: false,
    restartToApply: false,
    interfaces: [],
    dataDir: join(core.options.userDataDir, 'hosted-server'),
    error: null
  }
}
