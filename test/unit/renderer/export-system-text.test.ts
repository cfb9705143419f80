// The read-only viewer describes an export's system events as the live view
// does, in the window's language, with the names the export holds.
import { afterAll, describe, expect, it } from 'vitest'
import { i18n } from '../../../src/renderer/src/i18n'
import { systemEventText } from '../../../src/renderer/src/lib/system-text'

const names: Record<string, string> = { a: 'Anna', b: 'Bob', c: 'Carla' }
const name = (id: string): string => names[id] ?? '?'

afterAll(() => i18n.changeLanguage('en'))

describe('system events of an export', () => {
  it('are in German when the window is', async () => {
    await i18n.changeLanguage('de')
    expect(systemEventText({ type: 'members_added', userIds: ['b', 'c'] }, 'a', 'group', name)).toBe('Anna hat Bob und Carla hinzugefügt')
    expect(systemEventText({ type: 'group_created', title: 'Lobby' }, 'a', 'room', name)).toBe('Anna hat den Raum „Lobby“ erstellt')
    expect(systemEventText({ type: 'member_joined', userId: 'b', via: 'join_code' }, 'b', 'group', name)).toBe('Bob ist mit einem Beitrittscode beigetreten')
  })

  it('and in English when the window is', async () => {
    await i18n.changeLanguage('en')
    expect(systemEventText({ type: 'role_changed', userId: 'b', role: 'admin' }, 'a', 'group', name)).toBe('Anna made Bob an admin')
  })
})
