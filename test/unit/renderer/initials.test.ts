// Avatar initials: letters only, from any script; none for a name without letters.
import { describe, expect, it } from 'vitest'
import { initials } from '../../../src/renderer/src/lib/initials'

describe('initials', () => {
  it('takes the first letters of the first and last words, skipping a qualifier in brackets', () => {
    expect(initials('Alice Anders (Ops)')).toBe('AA')
    expect(initials('Alice Anders')).toBe('AA')
    expect(initials('Bob')).toBe('BO')
    expect(initials('  bob   smith ')).toBe('BS')
    expect(initials('Jean-Luc Picard')).toBe('JP')
  })

  it('reads letters of any script, with their accents', () => {
    expect(initials('Émile Zola')).toBe('ÉZ')
    expect(initials('łukasz nowak')).toBe('ŁN')
    expect(initials('Ольга Петрова')).toBe('ОП')
    expect(initials('王小明')).toBe('王小')
    expect(initials('E\u0301mile')).toBe('E\u0301M')
  })

  it('skips punctuation and emoji around the name', () => {
    expect(initials('🚀 Rocket Team')).toBe('RT')
    expect(initials('(Ops)')).toBe('OP')
    expect(initials('@bob')).toBe('BO')
  })

  it('is empty for a name with no letter (emoji only)', () => {
    expect(initials('🚀')).toBe('')
    expect(initials('👩‍👩‍👧 🎉')).toBe('')
    expect(initials('')).toBe('')
  })
})
