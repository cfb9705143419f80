import { describe, expect, it, test } from 'vitest'
import { joinLinkFromArgv, openTargetFromArgv, openTargetOf, parseJoinLink } from '../../../src/main/electron/deep-links'

test('join links are parsed and rebuilt from their parts', () => {
  expect(parseJoinLink('messenger://join?server=192.168.1.20%3A7450&code=ABCDEF1234')).toBe('messenger://join?server=192.168.1.20%3A7450&code=ABCDEF1234')
  expect(parseJoinLink('messenger://join?server=office.lan&extra=<script>')).toBe('messenger://join?server=office.lan')
  // A sign-up invite code (invite-only servers) travels too, beside a group join code.
  expect(parseJoinLink('messenger://join?server=h&invite=KLMNPQRS34&code=ABCDEF1234')).toBe('messenger://join?server=h&code=ABCDEF1234&invite=KLMNPQRS34')
  expect(parseJoinLink('MESSENGER:join?server=x')).toBe('messenger://join?server=x')
  // The certificate fingerprint the link vouches for survives the OS hand-over (so the pin is not lost); a malformed one is dropped and the user compares by hand.
  const fp = 'ab'.repeat(32)
  expect(parseJoinLink(`messenger://join?server=h&code=ABCDEF1234&fp=${fp}`)).toBe(`messenger://join?server=h&fp=${fp.toUpperCase()}&code=ABCDEF1234`)
  expect(parseJoinLink('messenger://join?server=h&fp=nothex')).toBe('messenger://join?server=h')
  for (const bad of ['messenger://other?server=x', 'messenger://join', 'https://join?server=x', 'messenger://join?server=', 'nonsense', `messenger://join?server=${'x'.repeat(3000)}`])
    expect(parseJoinLink(bad), bad).toBeNull()
})

test('a launch or a second launch passes the link among its arguments', () => {
  expect(joinLinkFromArgv(['/opt/LAN Messenger/lan-messenger', '--hidden', 'messenger://join?server=a'])).toBe('messenger://join?server=a')
  expect(joinLinkFromArgv(['app.exe', '--flag'])).toBeNull()
  expect(joinLinkFromArgv(['app.exe', 'messenger://evil', 'messenger://join?server=b'])).toBe('messenger://join?server=b')
})

// Issue 20 (i20-menu): messenger://message links open the message in the account of their server.
describe('message links', () => {
  const conversationId = '0b7e1c52-58a4-4a4e-9a43-7c1f4f0e2d11'
  const accounts = [
    { id: 'a'.repeat(32), serverUrl: 'https://office.lan:7450', userId: conversationId, username: 'ann', displayName: 'Ann' },
    { id: 'b'.repeat(32), serverUrl: 'https://home.lan:7450', userId: conversationId, username: 'ann', displayName: 'Ann' }
  ]
  const link = `messenger://message?server=${encodeURIComponent('https://home.lan:7450')}&conversation=${conversationId}&seq=12`

  it('opens the message in the account of its server', () => {
    expect(openTargetOf(link, accounts)).toEqual({ message: { conversationId, seq: 12, accountId: 'b'.repeat(32) } })
    expect(openTargetFromArgv(['/usr/bin/messenger', '--flag', link], accounts)).toEqual({ message: { conversationId, seq: 12, accountId: 'b'.repeat(32) } })
  })

  it('without an account of that server, the shown account tries it; join links still open the join screen', () => {
    expect(openTargetOf(link, [])).toEqual({ message: { conversationId, seq: 12 } })
    expect(openTargetOf('messenger://join?server=office.lan&code=ABCDEF1234', accounts)).toEqual({ invite: 'messenger://join?server=office.lan&code=ABCDEF1234' })
    expect(openTargetOf('messenger://message?server=x&seq=1', accounts)).toBeNull()
  })
})
