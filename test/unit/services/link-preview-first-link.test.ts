import { describe, expect, it } from 'vitest'
import { firstLink } from '../../../server/services/link-previews/first-link'

describe('the link a message is previewed by', () => {
  it.each([
    ['see https://example.com/a?b=1 and http://other.test', 'https://example.com/a?b=1'],
    ['[the menu](http://intranet.test/menu) today', 'http://intranet.test/menu'],
    ['<https://example.com/x>', 'https://example.com/x'],
    ['`https://in-code.test` then https://after.test', 'https://after.test'],
    ['```\nhttps://in-a-block.test\n```\nhttps://below.test', 'https://below.test'],
    ['messenger://join/abc and ftp://files.test', null],
    ['no link here', null]
  ])('%s → %s', (text, link) => {
    expect(firstLink(text)).toBe(link)
  })
})
