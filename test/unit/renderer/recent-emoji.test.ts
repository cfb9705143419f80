// Issue 20: the picker's recently used emoji, per account, newest first, kept short.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadRecentEmoji, rememberEmoji, RECENT_EMOJI_MAX } from '../../../src/renderer/src/store/recent-emoji'

const stored = new Map<string, string>()
beforeEach(() => {
  stored.clear()
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) }
  })
})
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'localStorage')
})

describe('recently used emoji', () => {
  it('puts the latest first, once, per account', () => {
    rememberEmoji('ann', '1f44d')
    rememberEmoji('ann', '2764-fe0f')
    expect(rememberEmoji('ann', '1f44d')).toEqual(['1f44d', '2764-fe0f'])
    expect(loadRecentEmoji('ann')).toEqual(['1f44d', '2764-fe0f'])
    expect(loadRecentEmoji('bob')).toEqual([])
  })

  it(`keeps ${RECENT_EMOJI_MAX} and survives what someone wrote by hand`, () => {
    for (let i = 0; i < RECENT_EMOJI_MAX + 5; i++) rememberEmoji('ann', `1f60${i}`)
    expect(loadRecentEmoji('ann')).toHaveLength(RECENT_EMOJI_MAX)
    stored.set('messenger.recentEmoji.ann', '{not json')
    expect(loadRecentEmoji('ann')).toEqual([])
    stored.set('messenger.recentEmoji.ann', JSON.stringify(['1f600', 7, null]))
    expect(loadRecentEmoji('ann')).toEqual(['1f600'])
  })
})
