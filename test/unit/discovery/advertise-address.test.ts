import { describe, expect, it } from 'vitest'
import { parseAdvertiseAddress } from '../../../server/discovery/advertise-address'

describe('parseAdvertiseAddress (--advertise-address)', () => {
  it.each([
    ['10.0.0.5', { host: '10.0.0.5', port: null }],
    ['10.0.0.5:7450', { host: '10.0.0.5', port: 7450 }],
    ['fd00::5', { host: 'fd00::5', port: null }],
    ['[fd00::5]', { host: 'fd00::5', port: null }],
    ['[fd00::5]:443', { host: 'fd00::5', port: 443 }],
    ['chat.office.lan', { host: 'chat.office.lan', port: null }],
    ['chat.office.lan:8443', { host: 'chat.office.lan', port: 8443 }],
    [' lb ', { host: 'lb', port: null }]
  ])('%s', (text, expected) => {
    expect(parseAdvertiseAddress(text)).toEqual(expected)
  })

  it.each(['', 'http://lb/', 'lb:0', 'lb:65536', 'lb:port', '[10.0.0.5]:80', '[lb]:80', 'a..b', '-lb', 'fd00::5:80:x', 'lb/x'])('refuses %j', (text) => {
    expect(parseAdvertiseAddress(text)).toBeNull()
  })
})
