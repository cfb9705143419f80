import { describe, expect, it } from 'vitest'
import { serviceTxt } from '../../../server/discovery/advertise'
import { parseService } from '../../../src/main/core/discovery/parse'

const FP = 'AB:'.repeat(31) + 'AB'

describe('what a server advertises and what a client makes of it', () => {
  it('round-trips name, version, TLS and fingerprint through the TXT record', () => {
    const txt = serviceTxt({ name: 'Front office', version: '0.1.0', fingerprint: FP })
    expect(txt).toEqual({ txtvers: '1', name: 'Front office', version: '0.1.0', tls: '1', fp: FP })
    expect(parseService({ name: 'Front office (7450)', port: 7450, addresses: ['fe80::1', '192.168.1.5'], txt })).toEqual({
      id: 'Front office (7450)',
      name: 'Front office',
      url: 'https://192.168.1.5:7450',
      addresses: ['fe80::1', '192.168.1.5'],
      port: 7450,
      tls: true,
      fingerprint: FP,
      version: '0.1.0'
    })
  })

  it('a plain server has no fingerprint; TXT values may come as buffers; the sender address is the fallback', () => {
    const txt = { name: Buffer.from('Lab'), tls: Buffer.from('0'), fp: FP, version: '1' }
    const parsed = parseService({ name: 'Lab (80)', port: 80, addresses: [], referer: { address: '10.0.0.9' }, txt })
    expect(parsed).toMatchObject({ name: 'Lab', url: 'http://10.0.0.9:80', tls: false, fingerprint: null, addresses: ['10.0.0.9'] })
    expect(serviceTxt({ name: 'Lab', version: '1', fingerprint: null })).toEqual({ txtvers: '1', name: 'Lab', version: '1', tls: '0' })
  })

  it('drops malformed answers instead of listing them', () => {
    const txt = { tls: '1', fp: 'not a fingerprint' }
    expect(parseService({ name: 'x', port: 0, addresses: ['1.2.3.4'], txt })).toBeNull()
    expect(parseService({ name: 'x', port: 70000, addresses: ['1.2.3.4'] })).toBeNull()
    expect(parseService({ name: '', port: 1, addresses: ['1.2.3.4'] })).toBeNull()
    expect(parseService({ name: 'x', port: 1, addresses: ['<script>'], referer: null })).toBeNull()
    // A bad fingerprint is not passed on: the user compares the real certificate's.
    expect(parseService({ name: 'x', port: 1, addresses: ['1.2.3.4'], txt })?.fingerprint).toBeNull()
    expect(parseService({ name: 'x'.repeat(300), port: 1, addresses: ['::1'], txt: null })).toMatchObject({ url: 'https://[::1]:1', name: 'x'.repeat(100) })
  })
})
