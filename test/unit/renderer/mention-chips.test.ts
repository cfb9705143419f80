import { expect, test } from 'vitest'
import { mentionChips, NO_CHIPS, sameChips, type ChipSources } from '../../../src/renderer/src/lib/mention-chips'

const users: Record<string, { username: string; name: string }> = { a: { username: 'alice', name: 'Alice Anders' }, b: { username: 'Bob', name: 'Bob B' } }
const from = (meId: string | null): ChipSources => ({
  meId,
  user: (id) => users[id],
  groups: { g1: { handle: 'design', memberIds: ['b'] }, g2: { handle: 'ops', memberIds: ['a'] } }
})
const base = { senderId: 's' }

test('a message with no mentions has no chips', () => {
  expect(mentionChips({ ...base }, from('a'))).toBe(NO_CHIPS)
})

test('people by lower-case username, with their current name; the reader is marked', () => {
  expect(mentionChips({ ...base, mentions: ['a', 'b', 'gone'] }, from('b'))).toEqual({
    alice: { label: 'Alice Anders', me: false },
    bob: { label: 'Bob B', me: true }
  })
})

test('@all means every reader but its sender; @here only those the server notified', () => {
  expect(mentionChips({ ...base, mentionAll: 'all' }, from('a')).all).toEqual({ label: 'all', me: true })
  expect(mentionChips({ ...base, mentionAll: 'all' }, from('s')).all).toEqual({ label: 'all', me: false })
  expect(mentionChips({ ...base, mentionAll: 'here', mentioned: ['a'] }, from('a')).here?.me).toBe(true)
  expect(mentionChips({ ...base, mentionAll: 'here', mentioned: ['a'] }, from('b')).here?.me).toBe(false)
})

test('groups by handle, marked for their members', () => {
  const chips = mentionChips({ ...base, mentionGroups: ['g1', 'g2', 'unknown'] }, from('b'))
  expect(chips).toEqual({ design: { label: 'design', me: true, groupId: 'g1' }, ops: { label: 'ops', me: false, groupId: 'g2' } })
})

test('sameChips compares what is drawn', () => {
  expect(sameChips({ x: { label: 'X', me: false } }, { x: { label: 'X', me: false } })).toBe(true)
  expect(sameChips({ x: { label: 'X', me: false } }, { x: { label: 'Y', me: false } })).toBe(false)
  expect(sameChips({ x: { label: 'X', me: false } }, NO_CHIPS)).toBe(false)
})
