// A call's system message in words, in the sidebar and the message list: who
// called, how long it lasted, or why nobody talked, in the window's language.
import { afterAll, describe, expect, it } from 'vitest'
import type { SystemEvent } from '../../../src/shared/schemas/messages'
import { i18n } from '../../../src/renderer/src/i18n'
import { systemEventText } from '../../../src/renderer/src/lib/system-text'
import { callClock } from '../../../src/renderer/src/lib/time'

const names: Record<string, string> = { a: 'Alice', b: 'Bob', c: 'Carol' }
const name = (id: string): string => names[id] ?? '?'
const call = (reason: Extract<SystemEvent, { type: 'call_ended' }>['reason'], durationMs: number | null = null, media: 'audio' | 'video' = 'audio'): SystemEvent => ({
  type: 'call_ended',
  callId: 'call-1',
  media,
  reason,
  durationMs,
  participantIds: ['a']
})
const direct = (e: SystemEvent): string => systemEventText(e, 'a', 'direct', name, ['a', 'b'])

afterAll(() => i18n.changeLanguage('en'))

describe('a call’s system message', () => {
  it('says who called and for how long, and why nobody talked, naming the callee of a direct call', async () => {
    await i18n.changeLanguage('en')
    expect(direct(call('completed', 42_400))).toBe('Alice started a call · 42 s')
    expect(direct(call('completed', 3 * 60_000 + 10_000, 'video'))).toBe('Alice started a video call · 3 min')
    expect(direct(call('completed', 65 * 60_000))).toBe('Alice started a call · 1 h 05 min')
    expect(direct(call('missed'))).toBe('Missed call from Alice')
    expect(direct(call('declined'))).toBe('Bob declined Alice’s call')
    expect(direct(call('busy'))).toBe('Bob was busy when Alice called')
    expect(direct(call('cancelled', null, 'video'))).toBe('Alice cancelled a video call')
    expect(direct(call('failed'))).toBe('Alice’s call ended: the server stopped it')
  })

  it('in a group (or an export, which knows no members) names only the caller', () => {
    expect(systemEventText(call('declined'), 'a', 'group', name, ['a', 'b', 'c'])).toBe('Alice’s call was declined')
    expect(systemEventText(call('busy'), 'a', 'direct', name)).toBe('Alice called; the other person was busy')
  })

  it('is in German when the window is', async () => {
    await i18n.changeLanguage('de')
    expect(direct(call('completed', 3 * 60_000, 'video'))).toBe('Alice hat einen Videoanruf gestartet · 3 Min.')
    expect(direct(call('declined'))).toBe('Bob hat den Anruf von Alice abgelehnt')
    expect(direct(call('missed'))).toBe('Verpasster Anruf von Alice')
  })
})

describe('a running call’s clock (the call bar)', () => {
  it('counts minutes and seconds, and hours past one', () => {
    expect(callClock(0)).toBe('0:00')
    expect(callClock(42_900)).toBe('0:42')
    expect(callClock(12 * 60_000 + 5_000)).toBe('12:05')
    expect(callClock(3_725_000)).toBe('1:02:05')
    // A clock a little ahead of the server's answer time shows no negative length.
    expect(callClock(-800)).toBe('0:00')
  })
})
