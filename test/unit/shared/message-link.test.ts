import { describe, expect, it } from 'vitest'
import { messageLink, parseMessageLink, sameServer } from '../../../src/shared/message-link'

const id = '0b7e1c52-58a4-4a4e-9a43-7c1f4f0e2d11'

describe('messenger://message links', () => {
  it('round-trips server, conversation and seq', () => {
    const link = messageLink({ server: 'https://10.0.0.5:4433', conversationId: id, seq: 42 })
    expect(link).toMatch(/^messenger:\/\/message\?/)
    expect(parseMessageLink(link)).toEqual({ server: 'https://10.0.0.5:4433', conversationId: id, seq: 42 })
    expect(parseMessageLink(`  ${link}\n`)).toEqual({ server: 'https://10.0.0.5:4433', conversationId: id, seq: 42 })
  })

  it('is null for other links and malformed ones', () => {
    expect(parseMessageLink('messenger://join?server=x&code=abc')).toBeNull()
    expect(parseMessageLink('https://example.com/?seq=1')).toBeNull()
    expect(parseMessageLink(`messenger://message?server=x&conversation=${id}&seq=0`)).toBeNull()
    expect(parseMessageLink(`messenger://message?server=x&conversation=${id}&seq=two`)).toBeNull()
    expect(parseMessageLink(`messenger://message?conversation=${id}&seq=1`)).toBeNull()
  })

  it('matches servers whatever the scheme, case or trailing slash', () => {
    expect(sameServer('https://Host.lan:4433/', 'host.lan:4433')).toBe(true)
    expect(sameServer('https://host.lan:4433', 'https://host.lan:4434')).toBe(false)
  })
})
