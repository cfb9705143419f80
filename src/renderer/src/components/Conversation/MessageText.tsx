// Message text as React elements: a Markdown subset (GFM: bold, italic,
// strike, code, code blocks, quotes, lists, links, tables) parsed by
// react-markdown, never raw HTML (typed HTML shows as typed), with mention
// chips. Text with no Markdown character at all skips the parser: most chat
// lines are plain, and rows draw again as the list scrolls.
import { memo } from 'react'
import Markdown from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { mayBeMarkdown } from '../../../../shared/plain-text'
import { NO_CHIPS, sameChips, type MentionChips } from '../../lib/mention-chips'
import { COMPONENTS } from './markdown/components'
import { rehypeCodeColours } from './markdown/highlight'
import { remarkBreaks } from './markdown/remark-breaks'
import { remarkLiteralHtml } from './markdown/remark-literal-html'
import { remarkMentions } from './markdown/remark-mentions'
import { cachedRender } from './markdown/rendered-cache'
import { safeUrl } from './markdown/safe-url'
import './markdown/Markdown.css'

const REHYPE = [rehypeCodeColours]

interface Props {
  text: string
  chips?: MentionChips
}

export const MessageText = memo(
  function MessageText({ text, chips = NO_CHIPS }: Props): React.JSX.Element {
    if (!mayBeMarkdown(text)) return <span className="message-text">{text}</span>
    // Markdown is a plain function of its props (no hooks): its result is kept for rows drawn again.
    const rendered = cachedRender(`${JSON.stringify(chips)}\u0000${text}`, () =>
      Markdown({
        children: text,
        remarkPlugins: [remarkGfm, remarkLiteralHtml, remarkBreaks, [remarkMentions, { chips }]],
        rehypePlugins: REHYPE,
        components: COMPONENTS,
        urlTransform: safeUrl,
        skipHtml: true
      })
    )
    return <div className="message-text markdown">{rendered}</div>
  },
  (a, b) => a.text === b.text && sameChips(a.chips ?? NO_CHIPS, b.chips ?? NO_CHIPS)
)
