import { expect, test } from 'vitest'
import { appFrameCheck } from '../../../src/main/electron/app-frame'

const top = (url: string) => ({ url, parent: null })

test('packaged app: only our app://messenger/index.html in the top frame may call IPC', () => {
  const check = appFrameCheck(undefined)
  expect(check(top('app://messenger/index.html'))).toBe(true)
  expect(check(top('app://messenger/index.html#/chat'))).toBe(true)
  expect(check(top('app://messenger/other.html'))).toBe(false)
  expect(check(top('app://evil/index.html'))).toBe(false)
  expect(check(top('file:///opt/LAN%20Messenger/resources/app.asar/out/renderer/index.html'))).toBe(false)
  expect(check(top('https://example.com/'))).toBe(false)
  expect(check(top('not a url'))).toBe(false)
  expect(check({ url: 'app://messenger/index.html', parent: {} })).toBe(false)
  expect(check(null)).toBe(false)
})

test('development: only the dev server origin', () => {
  const check = appFrameCheck('http://localhost:5173')
  expect(check(top('http://localhost:5173/'))).toBe(true)
  expect(check(top('http://localhost:5174/'))).toBe(false)
  expect(check(top('app://messenger/index.html'))).toBe(false)
})
