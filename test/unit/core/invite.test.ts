import { describe, expect, it } from 'vitest'
import { normalizeFingerprint, sameFingerprint } from '../../../src/shared/fingerprint'
import { inviteLink, parseServerInput } from '../../../src/shared/invite'
import { IPC_METHODS } from '../../../src/shared/ipc'

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':')

describe('fingerprints and invite links', () => {
  it('spells a fingerprint one way, whatever the input', () => {
    expect(normalizeFingerprint(FP.replace(/:/g, '').toLowerCase())).toBe(FP)
    expect(normalizeFingerprint(` ${FP} `)).toBe(FP)
    expect(normalizeFingerprint(FP.slice(3))).toBeNull()
    expect(normalizeFingerprint('zz'.repeat(32))).toBeNull()
    expect(sameFingerprint(FP, FP.replace(/:/g, ''))).toBe(true)
    expect(sameFingerprint('', '')).toBe(false)
  })

  it('takes a fingerprint pasted in any spelling across IPC and passes on the canonical one', () => {
    // The grouped spelling the app once showed (56DDA56D 12AB…), lower case, dashes: all one fingerprint.
    const grouped = FP.replace(/:/g, '').match(/.{8}/g)!.join(' ')
    const trust = IPC_METHODS['server.trust'].request
    for (const typed of [FP, grouped, grouped.toLowerCase(), FP.replace(/:/g, '-')]) {
      expect(trust.parse({ serverUrl: 'https://192.168.1.5:7450', fingerprint: typed }).fingerprint).toBe(FP)
    }
    expect(trust.safeParse({ serverUrl: 'https://192.168.1.5:7450', fingerprint: grouped.slice(9) }).success).toBe(false)
  })

  it('writes and reads messenger://join links with server, fingerprint and join code', () => {
    const link = inviteLink('https://192.168.1.5:7450', FP, { code: 'ABCDEFGH12' })
    expect(link).toBe(`messenger://join?server=https%3A%2F%2F192.168.1.5%3A7450&fp=${FP.replace(/:/g, '')}&code=ABCDEFGH12`)
    expect(parseServerInput(link)).toEqual({ server: 'https://192.168.1.5:7450', fingerprint: FP, code: 'ABCDEFGH12', invite: null })
    expect(parseServerInput(inviteLink('http://h:1', null))).toEqual({ server: 'http://h:1', fingerprint: null, code: null, invite: null })
    // A malformed fp is dropped (the user is asked to compare instead); a typed address is just an address.
    expect(parseServerInput('messenger://join?server=https://h:1&fp=nope').fingerprint).toBeNull()
    expect(parseServerInput('  192.168.1.5:7450 ')).toEqual({ server: '192.168.1.5:7450', fingerprint: null, code: null, invite: null })
    expect(parseServerInput('messenger://%%%')).toEqual({ server: '', fingerprint: null, code: null, invite: null })
  })

  it('says which code a link carries: code= joins a group, invite= is a sign-up invite code; both may come together', () => {
    const signUp = inviteLink('https://h:1', null, { invite: 'KLMNPQRS34' })
    expect(signUp).toBe('messenger://join?server=https%3A%2F%2Fh%3A1&invite=KLMNPQRS34')
    expect(parseServerInput(signUp)).toEqual({ server: 'https://h:1', fingerprint: null, code: null, invite: 'KLMNPQRS34' })
    const both = parseServerInput(inviteLink('https://h:1', FP, { code: 'ABCDEFGH12', invite: 'KLMNPQRS34' }))
    expect(both).toEqual({ server: 'https://h:1', fingerprint: FP, code: 'ABCDEFGH12', invite: 'KLMNPQRS34' })
  })
})
