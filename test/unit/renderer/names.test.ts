// How the window names people: names stored before the server refused hidden
// characters are shown without them, and namesakes are told apart by username.
import { describe, expect, it } from 'vitest'
import type { Member } from '../../../src/shared/schemas/conversations'
import { nameAmong, shownName } from '../../../src/renderer/src/lib/names'

function member(id: string, username: string, displayName: string): Member {
  const user = { id, username, displayName, statusText: '', avatar: null, createdAt: '2026-01-01T00:00:00.000Z' }
  return { user, role: 'member', readSeq: 0, deliveredSeq: 0, joinedAt: user.createdAt }
}

describe('shownName', () => {
  it('drops invisible and direction-changing characters from an old name, and falls back to the username', () => {
    expect(shownName({ displayName: '\u202essoB ehT', username: 'x' })).toBe('ssoB ehT')
    expect(shownName({ displayName: '\u200b\u200b', username: 'ghost' })).toBe('@ghost')
    expect(shownName({ displayName: 'Ana 👩‍👩‍👧', username: 'ana' })).toBe('Ana 👩‍👩‍👧')
  })
})

describe('nameAmong', () => {
  const alice = member('1', 'alice', 'Alice')
  const alice2 = member('2', 'alice2', 'Alice')
  const bob = member('3', 'bob', 'Bob')
  const fake = member('4', 'mallory', 'b\u200dob')
  const shouting = member('5', 'loud', 'ＢＯＢ')

  it('adds the username only when another member goes by the same name', () => {
    const members = [alice, alice2, bob]
    expect(nameAmong(members, alice.user)).toBe('Alice (@alice)')
    expect(nameAmong(members, alice2.user)).toBe('Alice (@alice2)')
    expect(nameAmong(members, bob.user)).toBe('Bob')
  })

  it('counts names that only differ by joiners, width or case as the same', () => {
    const members = [bob, fake, shouting]
    expect(nameAmong(members, bob.user)).toBe('Bob (@bob)')
    expect(nameAmong(members, fake.user)).toBe('b\u200dob (@mallory)')
    expect(nameAmong(members, shouting.user)).toBe('ＢＯＢ (@loud)')
  })

  it('someone who left is told apart from a member who now has their name', () => {
    expect(nameAmong([alice2, bob], alice.user)).toBe('Alice (@alice)')
    expect(nameAmong([bob], alice.user)).toBe('Alice')
  })
})
