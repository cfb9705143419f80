import { describe, expect, it } from 'vitest'
import { accountKey, accountShortcut } from '../../../src/renderer/src/lib/account-keys'

const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}) => ({
  key,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift
})
const electronLinux = { host: 'electron' as const, platform: 'linux' }
const electronMac = { host: 'electron' as const, platform: 'darwin' }
const web = { host: 'web' as const, platform: 'linux' }

describe('account keys', () => {
  it('desktop: Ctrl+digit, Cmd+digit on macOS', () => {
    expect(accountKey(press('2', { ctrl: true }), electronLinux)).toBe(2)
    expect(accountKey(press('2', { meta: true }), electronLinux)).toBeNull()
    expect(accountKey(press('3', { meta: true }), electronMac)).toBe(3)
    expect(accountKey(press('3', { ctrl: true }), electronMac)).toBeNull()
    expect(accountShortcut(electronLinux, 2)).toBe('Ctrl+2')
    expect(accountShortcut(electronMac, 2)).toBe('Cmd+2')
  })

  it('browser: Ctrl+Alt+digit, since the browser keeps Ctrl+digit for its tabs', () => {
    expect(accountKey(press('1', { ctrl: true, alt: true }), web)).toBe(1)
    expect(accountKey(press('1', { ctrl: true }), web)).toBeNull()
    expect(accountShortcut(web, 9)).toBe('Ctrl+Alt+9')
  })

  it('leaves typing alone: plain digits, 0, Shift, and AltGr characters on digit keys', () => {
    expect(accountKey(press('1'), electronLinux)).toBeNull()
    expect(accountKey(press('0', { ctrl: true }), electronLinux)).toBeNull()
    expect(accountKey(press('1', { ctrl: true, shift: true }), electronLinux)).toBeNull()
    // AltGr+7 on a German layout arrives as Ctrl+Alt with the key '{'.
    expect(accountKey(press('{', { ctrl: true, alt: true }), web)).toBeNull()
    expect(accountKey(press('2', { ctrl: true, alt: true }), electronLinux)).toBeNull()
  })
})
