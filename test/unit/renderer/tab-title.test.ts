import { expect, test } from 'vitest'
import { tabTitle, unreadSum } from '../../../src/renderer/src/lib/tab-title'

test('the tab title counts the unread messages of every signed-in account, and is plain at 0', () => {
  expect(tabTitle(unreadSum({ a: 2, b: 1 }))).toBe('(3) LAN Messenger')
  expect(tabTitle(unreadSum({ a: 0 }))).toBe('LAN Messenger')
  expect(tabTitle(unreadSum({}))).toBe('LAN Messenger')
})
