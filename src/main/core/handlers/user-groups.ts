import { UserGroupResponse } from '../../../shared/schemas/user-groups'
import type { ClientCore } from '../client'
import { fromServer } from '../server-data'
import { onUserGroupChange } from '../user-groups'
import type { HandlersFor } from './index'

/** User groups (issue 20): the list from the cache; changes through the server, kept at once (the event that follows changes nothing more). */
export function userGroupHandlers(core: ClientCore): HandlersFor<'userGroups'> {
  const changed = async (payload: unknown) => {
    const { userGroup } = fromServer(UserGroupResponse, payload, 'user group')
    await onUserGroupChange(core.ctx(), { userGroup })
    return userGroup
  }
  return {
    'userGroups.list': () => Promise.resolve(core.ctx().cache.userGroups()),
    'userGroups.create': async (body) => changed(await core.ctx().session.request('POST', '/user-groups', { body })),
    'userGroups.update': async ({ userGroupId, patch }) => changed(await core.ctx().session.request('PATCH', `/user-groups/${userGroupId}`, { body: patch })),
    'userGroups.delete': async ({ userGroupId }) => {
      await core.ctx().session.request('DELETE', `/user-groups/${userGroupId}`)
      await onUserGroupChange(core.ctx(), { removedId: userGroupId })
      return null
    }
  }
}
