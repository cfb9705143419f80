// Dates, times, relative days, lists and sizes as the window writes them, in
// English and German: from Intl in the window's language, never from English
// words in the code.
import { afterAll, describe, expect, it } from 'vitest'
import { i18n } from '../../../src/renderer/src/i18n'
import { bytes, clock, dateTime, dayAndTime, dayLabel, duration, enumeration, lastSeen, listTime, nameList } from '../../../src/renderer/src/lib/time'

// Local times (the formats show local time), on a Wednesday.
const now = new Date(2026, 2, 4, 15, 30)
const at = (days: number, hours: number, minutes: number): string => new Date(2026, 2, 4 + days, hours, minutes).toISOString()
const minutesAgo = (n: number): string => new Date(now.getTime() - n * 60_000).toISOString()

afterAll(() => i18n.changeLanguage('en'))

describe('times in English', () => {
  it('days, clock, relative times, lists and sizes', async () => {
    await i18n.changeLanguage('en')
    expect(clock(at(0, 14, 5))).toBe('02:05 PM')
    expect(dayLabel(at(0, 9, 0), now)).toBe('Today')
    expect(dayLabel(at(-1, 9, 0), now)).toBe('Yesterday')
    expect(dayLabel(at(-2, 9, 0), now)).toBe('Monday, March 2, 2026')
    expect(dayAndTime(at(0, 14, 5), now)).toBe('today at 02:05 PM')
    expect(listTime(at(0, 14, 5), now)).toBe('02:05 PM')
    expect(listTime(at(-2, 14, 5), now)).toBe('Mar 2')
    expect(lastSeen(null)).toBe('offline')
    expect(lastSeen(minutesAgo(0), now.getTime())).toBe('last seen just now')
    expect(lastSeen(minutesAgo(1), now.getTime())).toBe('last seen 1 minute ago')
    expect(lastSeen(minutesAgo(5), now.getTime())).toBe('last seen 5 minutes ago')
    expect(lastSeen(at(-1, 22, 10), now.getTime())).toBe('last seen yesterday at 10:10 PM')
    expect(nameList(['Alice', 'Bob', 'Carol'])).toBe('Alice, Bob, and Carol')
    expect(enumeration(['Alice', 'Bob'])).toBe('Alice, Bob')
    expect(dateTime(at(-2, 14, 5))).toBe('3/2/2026, 2:05:00 PM')
    expect(duration(1, 'hour')).toBe('1 hour')
    expect(duration(7, 'day')).toBe('7 days')
    expect([bytes(512), bytes(1536), bytes(20 * 1024 * 1024)]).toEqual(['512 B', '1.5 KB', '20 MB'])
  })
})

describe('times in German', () => {
  it('days, clock, relative times, lists and sizes', async () => {
    await i18n.changeLanguage('de')
    expect(clock(at(0, 14, 5))).toBe('14:05')
    expect(dayLabel(at(0, 9, 0), now)).toBe('Heute')
    expect(dayLabel(at(-1, 9, 0), now)).toBe('Gestern')
    expect(dayLabel(at(-2, 9, 0), now)).toBe('Montag, 2. März 2026')
    expect(dayAndTime(at(0, 14, 5), now)).toBe('heute um 14:05')
    expect(listTime(at(-2, 14, 5), now)).toBe('2. März')
    expect(lastSeen(null)).toBe('offline')
    expect(lastSeen(minutesAgo(0), now.getTime())).toBe('zuletzt online gerade eben')
    expect(lastSeen(minutesAgo(5), now.getTime())).toBe('zuletzt online vor 5 Minuten')
    expect(lastSeen(at(-1, 22, 10), now.getTime())).toBe('zuletzt online gestern um 22:10')
    expect(lastSeen(at(-2, 8, 0), now.getTime())).toBe('zuletzt online Montag, 2. März 2026 um 08:00')
    expect(nameList(['Alice', 'Bob', 'Carol'])).toBe('Alice, Bob und Carol')
    expect(dateTime(at(-2, 14, 5))).toBe('2.3.2026, 14:05:00')
    expect(duration(1, 'hour')).toBe('1 Stunde')
    expect(duration(7, 'day')).toBe('7 Tage')
    expect([bytes(512), bytes(1536), bytes(20 * 1024 * 1024)]).toEqual(['512 B', '1,5 KB', '20 MB'])
  })

  it('plurals and placeholders come from the German texts', async () => {
    await i18n.changeLanguage('de')
    expect(i18n.t('shell.connection.queued', { count: 1 })).toBe(' · 1 Nachricht wartet auf das Senden')
    expect(i18n.t('shell.connection.queued', { count: 3 })).toBe(' · 3 Nachrichten warten auf das Senden')
    expect(i18n.t('chat.typing', { count: 2, names: nameList(['Alice', 'Bob']) })).toBe('Alice und Bob schreiben …')
    expect(i18n.t('chat.system.created', { context: 'room', who: 'Alice', title: 'Lobby' })).toBe('Alice hat den Raum „Lobby“ erstellt')
    expect(i18n.t('dialogs.confirmYes', { label: 'Verlauf leeren' })).toBe('Ja, Verlauf leeren')
    await i18n.changeLanguage('en')
    expect(i18n.t('dialogs.confirmYes', { label: 'Clear history' })).toBe('Yes, clear history')
    expect(i18n.t('chat.typing', { count: 1, names: 'Alice' })).toBe('Alice is typing…')
  })
})
