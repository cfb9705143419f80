import { inviteLink } from '../../../shared/invite'
import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

/** Group invite links (i20-drafts): built here, where the server's address and pinned fingerprint are known. */
export function inviteHandlers(core: ClientCore): HandlersFor<'invites'> {
  return {
    'invites.link': ({ code }) => {
      const { serverUrl } = core.ctx().account
      return Promise.resolve({
        link: inviteLink(serverUrl, core.trust.pinnedFingerprint(serverUrl), { code }),
        web: `${serverUrl.replace(/\/+$/, '')}/join/${code}`
      })
    }
  }
}
