import { expect, test } from 'vitest'
import { isFormatted, shortcutKind, toggleFormat } from '../../../src/renderer/src/lib/format-marks'

test('wraps the selection and keeps it selected', () => {
  expect(toggleFormat('make this bold', 10, 14, 'bold')).toEqual({ value: 'make this **bold**', start: 12, end: 16 })
  expect(toggleFormat('a word', 2, 6, 'italic')).toEqual({ value: 'a _word_', start: 3, end: 7 })
  expect(toggleFormat('run npm test', 4, 12, 'code')).toEqual({ value: 'run `npm test`', start: 5, end: 13 })
  expect(toggleFormat('old', 0, 3, 'strike').value).toBe('~~old~~')
})

test('with nothing selected, inserts the markers with the caret between them', () => {
  expect(toggleFormat('hi ', 3, 3, 'bold')).toEqual({ value: 'hi ****', start: 5, end: 5 })
})

test('a code block goes on lines of its own', () => {
  expect(toggleFormat('see: let x = 1 ok', 5, 14, 'codeBlock')).toEqual({ value: 'see: \n```\nlet x = 1\n```\n ok', start: 10, end: 19 })
  expect(toggleFormat('', 0, 0, 'codeBlock')).toEqual({ value: '```\n\n```', start: 4, end: 4 })
})

test('the same kind again unwraps', () => {
  const bold = toggleFormat('make this bold', 10, 14, 'bold')
  expect(isFormatted(bold.value, bold.start, bold.end, 'bold')).toBe(true)
  expect(toggleFormat(bold.value, bold.start, bold.end, 'bold')).toEqual({ value: 'make this bold', start: 10, end: 14 })
  // Bold's stars are not italic's.
  expect(isFormatted('**x**', 2, 3, 'italic')).toBe(false)
})

test('shortcuts: Ctrl or Cmd with B, I, E and Shift+C', () => {
  const key = (k: string, over: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, ...over })
  expect(shortcutKind(key('b'))).toBe('bold')
  expect(shortcutKind(key('I', { ctrlKey: false, metaKey: true }))).toBe('italic')
  expect(shortcutKind(key('e'))).toBe('code')
  expect(shortcutKind(key('C', { shiftKey: true }))).toBe('codeBlock')
  expect(shortcutKind(key('c'))).toBeNull()
  expect(shortcutKind(key('b', { ctrlKey: false }))).toBeNull()
})
