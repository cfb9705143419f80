import { describe, expect, it } from 'vitest'
import { insertMention, mentionAt, mentionCandidates, mentionFields } from '../../../src/renderer/src/lib/mention-input'

const bob = { id: 'b', username: 'bob', displayName: 'Bob Builder' }
const bobby = { id: 'bb', username: 'rob', displayName: 'Bobby Tables' }
const alice = { id: 'a', username: 'alice', displayName: 'Alice Anders' }
const design = { id: 'g', handle: 'design', name: 'Design team' }

describe('mentionAt', () => {
  it('finds the @word at the caret only where it starts a word', () => {
    expect(mentionAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' })
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionAt('mail me@bo', 10)).toBeNull()
    expect(mentionAt('hi bo', 5)).toBeNull()
    expect(mentionAt('@bob and', 8)).toBeNull()
  })
})

describe('mentionCandidates', () => {
  it('offers prefix matches of username or name first, then names containing the query', () => {
    expect(mentionCandidates('bo', [alice, bobby, bob], [], false).map((c) => c.id)).toEqual(['b', 'bb'])
    const rob = { id: 'r', username: 'x1', displayName: 'Rob Obama' }
    // A word of the name starting with the query comes before a name that only contains it.
    expect(mentionCandidates('ob', [bob, rob], [], false).map((c) => c.id)).toEqual(['r', 'b'])
    expect(mentionCandidates('anders', [alice, bob], [], false).map((c) => c.id)).toEqual(['a'])
  })

  it('offers @here and @all only when allowed, and user groups by handle or name', () => {
    expect(mentionCandidates('', [], [design], true).map((c) => c.insert)).toEqual(['here', 'all', 'design'])
    expect(mentionCandidates('a', [alice], [], false).map((c) => c.insert)).toEqual(['alice'])
    expect(mentionCandidates('a', [alice], [], true).map((c) => c.insert)).toEqual(['alice', 'all'])
    expect(mentionCandidates('team', [], [design], false).map((c) => c.insert)).toEqual(['design'])
  })
})

describe('insertMention', () => {
  it('replaces the @word with @username and a space, caret after it', () => {
    expect(insertMention('hi @bo', 3, 6, 'bob')).toEqual({ text: 'hi @bob ', caret: 8 })
    expect(insertMention('hi @bo there', 3, 6, 'bob')).toEqual({ text: 'hi @bob there', caret: 8 })
  })
})

describe('mentionFields', () => {
  it('names members by username, groups by handle and @here/@all, ignoring addresses and unknown names', () => {
    expect(mentionFields('@Bob and @design, see me@alice and @nobody.', [bob, alice], [design])).toEqual({ mentions: ['b'], mentionGroups: ['g'] })
    expect(mentionFields('@here then @all', [], [])).toEqual({ mentionAll: 'all' })
    expect(mentionFields('thanks @bob.', [bob], [])).toEqual({ mentions: ['b'] })
    expect(mentionFields('plain', [bob], [])).toEqual({})
  })
})
