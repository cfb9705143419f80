import { expect, test } from 'vitest'
import { plainLine, plainText } from '../../../src/shared/plain-text'

test('inline formatting gives its words', () => {
  expect(plainText('**bold**, __bold__, *it*, _it_, ~~gone~~ and `code`')).toBe('bold, bold, it, it, gone and code')
})

test('blocks are on their own lines: headings, quotes, lists and code', () => {
  expect(plainText('# Plan\n\n> quoted\n\n- one\n- two\n\n1. first\n\n```js\nlet x = 1\n```')).toBe('Plan\nquoted\none\ntwo\nfirst\nlet x = 1')
})

test('links give their text, bare addresses stay, images give their description', () => {
  expect(plainText('[the site](https://example.org) or https://example.com/a?b=1 ![a cat](https://example.org/cat.png)')).toBe(
    'the site or https://example.com/a?b=1 a cat'
  )
})

test('raw HTML stays as typed (it is never interpreted)', () => {
  expect(plainText('use <b>this</b> & <script>alert(1)</script>')).toBe('use <b>this</b> & <script>alert(1)</script>')
})

test('plain text and mentions come back unchanged', () => {
  expect(plainText('Hello there, how are you?\nFine')).toBe('Hello there, how are you?\nFine')
  expect(plainText('@alice see this')).toBe('@alice see this')
})

test('escaped characters are shown without their backslash', () => {
  expect(plainText('2 \\* 3 is not \\*bold\\*')).toBe('2 * 3 is not *bold*')
})

test('plainLine collapses lines and cuts long text with an ellipsis', () => {
  expect(plainLine('**a**\n\n- b\n- c')).toBe('a b c')
  expect(plainLine('x'.repeat(30), 10)).toBe(`${'x'.repeat(9)}…`)
})
