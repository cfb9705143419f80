// User groups in the window's store and the group chip: the lists the dialogs
// show, and who the chip names as members (hover title).
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeEach, describe, expect, it } from 'vitest'
import '../../../src/renderer/src/i18n'
import type { UserGroup } from '../../../src/shared/schemas/user-groups'
import type { PublicUser } from '../../../src/shared/schemas/users'
import { memberNames, UserGroupChipView } from '../../../src/renderer/src/components/dialogs/user-groups/UserGroupChip'
import { useStore } from '../../../src/renderer/src/store'
import { selectManagedUserGroups, selectUserGroupList } from '../../../src/renderer/src/store/user-groups'

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const person = (n: number, name: string): PublicUser =>
  ({ id: id(n), username: name.toLowerCase(), displayName: name, statusText: '', avatar: null, createdAt: '2030-01-01T00:00:00.000Z' })
const group = (n: number, handle: string, memberIds: string[], managerIds: string[] = []): UserGroup => ({
  id: id(100 + n),
  handle,
  name: handle,
  memberIds,
  managerIds,
  createdBy: id(1),
  createdAt: '2030-01-01T00:00:00.000Z'
})

const NAMES = ['Ann', 'Ben', 'Cai', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo']

beforeEach(() => {
  useStore.setState({
    session: { status: 'signed_in', me: { ...person(2, 'Ben'), hideLastSeen: false, contactsOnlyDirect: false, serverAdmin: false, email: null } } as never,
    people: Object.fromEntries(NAMES.map((name, i) => [id(i + 1), person(i + 1, name)]))
  })
  useStore.getState().setUserGroups([group(1, 'ops', [id(1)], [id(2)]), group(2, 'design', [id(1), id(3)]), group(3, 'all-hands', [...NAMES.map((_, i) => id(i + 1)), id(99)])])
})

describe('user groups in the store', () => {
  it('lists every group by handle, and those the signed-in user manages', () => {
    expect(selectUserGroupList(useStore.getState()).map((g) => g.handle)).toEqual(['all-hands', 'design', 'ops'])
    expect(selectManagedUserGroups(useStore.getState()).map((g) => g.handle)).toEqual(['ops'])
  })

  it('an event replaces the whole list', () => {
    useStore.getState().setUserGroups([group(2, 'design', [id(3)])])
    expect(Object.keys(useStore.getState().userGroups)).toEqual([id(102)])
  })
})

describe('the group chip', () => {
  const chip = (groupId: string, me = false): string => {
    const { userGroups, people } = useStore.getState()
    const g = userGroups[groupId]!
    return renderToStaticMarkup(createElement(UserGroupChipView, { handle: g.handle, ids: g.memberIds, names: memberNames(g, people), me }))
  }

  it('names the members on hover, in their current names', () => {
    const out = chip(id(102), true)
    expect(out).toContain('>@design</button>')
    expect(out).toContain('title="Members of @design: Ann, Cai"')
    expect(out).toContain('mention--me')
    expect(out).toContain('aria-expanded="false"')
  })

  it('names eight, then how many more; someone never met is said so', () => {
    expect(chip(id(103))).toContain('title="Members of @all-hands: Ann, Ben, Cai, Dee, Eve, Fay, Gus, Hal and 3 more"')
    useStore.setState({ people: {} })
    expect(chip(id(101))).toContain('Someone you have not met')
  })
})
