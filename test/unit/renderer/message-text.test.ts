// What a message's Markdown becomes on screen (rendered to HTML as React
// draws it): each syntax, links only for http(s) and mailto, no live HTML,
// mention chips with current names.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import '../../../src/renderer/src/i18n'
import { MessageText } from '../../../src/renderer/src/components/Conversation/MessageText'
import type { MentionChips } from '../../../src/renderer/src/lib/mention-chips'

const html = (text: string, chips?: MentionChips): string => renderToStaticMarkup(createElement(MessageText, { text, ...(chips ? { chips } : {}) }))

describe('message Markdown', () => {
  it('draws bold, italic, strike and inline code', () => {
    const out = html('**bold** _it_ ~~gone~~ `x < y`')
    expect(out).toContain('<strong>bold</strong>')
    expect(out).toContain('<em>it</em>')
    expect(out).toContain('<del>gone</del>')
    expect(out).toContain('<code>x &lt; y</code>')
  })

  it('draws quotes, lists and headings as bold lines', () => {
    const out = html('# Plan\n\n> said before\n\n- one\n- two\n\n1. first')
    expect(out).toContain('<p><strong>Plan</strong></p>')
    expect(out).not.toMatch(/<h\d/)
    expect(out).toMatch(/<blockquote>\s*<p>said before<\/p>\s*<\/blockquote>/)
    expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
    expect(out).toMatch(/<ol>\s*<li>first<\/li>\s*<\/ol>/)
  })

  it('keeps a single line break as a break', () => {
    expect(html('first **line**\nsecond line')).toMatch(/first <strong>line<\/strong><br\/>\s*second line/)
  })

  it('colours a fenced code block in a known language and offers to copy it', () => {
    const out = html('```ts\nconst answer: number = 42\n```')
    expect(out).toContain('class="hljs language-ts"')
    expect(out).toContain('<span class="hljs-keyword">const</span>')
    expect(out).toContain('<span class="hljs-number">42</span>')
    expect(out).toContain('<button type="button" class="code-copy">Copy code</button>')
  })

  it('leaves a block with no or an unknown language uncoloured, without guessing', () => {
    expect(html('```\nconst a = 1\n```')).not.toContain('hljs-keyword')
    expect(html('```klingon\nqapla\n```')).toContain('qapla')
  })

  it('links http, https and mailto (opened outside), and bare addresses', () => {
    const out = html('[site](https://example.org/a) see http://example.com/x and mail [me](mailto:a@example.org) or www.example.net')
    expect(out).toContain('<a href="https://example.org/a" target="_blank" rel="noreferrer noopener">site</a>')
    expect(out).toContain('<a href="http://example.com/x" target="_blank" rel="noreferrer noopener">http://example.com/x</a>')
    expect(out).toContain('<a href="mailto:a@example.org" target="_blank" rel="noreferrer noopener">me</a>')
    expect(out).toContain('href="http://www.example.net/"')
  })

  it('shows any other scheme as text, never as a live link', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'vbscript:x', '/relative']) {
      const out = html(`[click](${href})`)
      expect(out, href).not.toContain('<a')
      expect(out, href).toContain('click')
    }
    expect(html('<javascript:alert(1)>')).not.toContain('href')
  })

  it('never makes typed HTML live: it shows as typed', () => {
    const out = html('hi <script>alert(1)</script> <img src=x onerror=alert(1)> <b>b</b>')
    expect(out).not.toContain('<script')
    expect(out).not.toContain('<img')
    expect(out).not.toContain('<b>')
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(out).toContain('&lt;b&gt;b&lt;/b&gt;')
  })

  it('shows an image as a link to it, never fetching it', () => {
    const out = html('![a cat](https://example.org/cat.png)')
    expect(out).not.toContain('<img')
    expect(out).toContain('<a href="https://example.org/cat.png" target="_blank" rel="noreferrer noopener">a cat</a>')
    expect(html('![x](javascript:alert(1))')).not.toContain('href')
  })

  it('draws plain text as it is, without the parser', () => {
    expect(html('Hello there, how are you?\nFine')).toBe('<span class="message-text">Hello there, how are you?\nFine</span>')
    expect(html('Thanks! See you at 5: room 4-B, ok?')).toBe('<span class="message-text">Thanks! See you at 5: room 4-B, ok?</span>')
  })
})

describe('mention chips', () => {
  const chips: MentionChips = { alice: { label: 'Alice Anders', me: false }, bob: { label: 'Bob B', me: true }, here: { label: 'here', me: true }, design: { label: 'design', me: false } }

  it('turn the @words the message names into chips with current names; mine stronger', () => {
    const out = html('@alice and @Bob, @here: ask @design', chips)
    expect(out).toContain('<span class="mention" title="@alice">@Alice Anders</span>')
    expect(out).toContain('<span class="mention mention--me" title="@Bob">@Bob B</span>')
    expect(out).toContain('<span class="mention mention--me" title="@here">@here</span>')
    expect(out).toContain('<span class="mention" title="@design">@design</span>')
  })

  it('leave other @words, e-mail addresses and code alone', () => {
    const out = html('@carol wrote to x@alice.org; `@alice` [@alice](https://example.org)', chips)
    expect(out).not.toContain('class="mention')
    expect(out).toContain('@carol')
  })

  it('are redrawn when a name changes', () => {
    expect(html('hi @alice', { alice: { label: 'Alice Smith', me: false } })).toContain('@Alice Smith')
  })
})
