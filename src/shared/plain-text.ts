// Message Markdown as the words a reader would see, for places that show no
// formatting: notifications, the sidebar preview, reply quotes. Parsed with
// the same parser family the window renders with (mdast-util-from-markdown
// with the GFM extensions, both already installed under react-markdown and
// remark-gfm), so `**bold**`, `~~gone~~` and `[text](url)` give "bold",
// "gone" and "text", never stars or brackets.
import type { Nodes, Parents } from 'mdast'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'

/**
 * Anything that could be Markdown (emphasis, code, links, escapes, tables,
 * HTML, entities), a mention or e-mail (@), a bare link, or a block marker at
 * the start of a line (quote, heading, list, rule, indented code). Text
 * without any is plain as it is: most chat lines.
 */
const MAYBE_MARKDOWN = /[*_~`[\]\\|<&@]|!\[|:\/\/|www\.|mailto:|^ {0,3}(?:[>#=+-]|\d+[.)])|^ {4}|\t/m

/** False when the text has no character that could be Markdown (or a mention, or a bare link): it is plain as it is. */
export function mayBeMarkdown(text: string): boolean {
  return MAYBE_MARKDOWN.test(text)
}

/** The text without Markdown syntax; blocks (paragraphs, list items, code lines) on their own lines. */
export function plainText(markdown: string): string {
  if (!MAYBE_MARKDOWN.test(markdown)) return markdown
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
  return textOf(tree).trim()
}

/** One line of plain text: whitespace collapsed, at most `max` characters (with an ellipsis when cut). */
export function plainLine(markdown: string, max = Infinity): string {
  const line = plainText(markdown).replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line
}

const BLOCKS = new Set(['root', 'blockquote', 'list', 'listItem', 'table', 'footnoteDefinition'])

function textOf(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
    case 'html': // never interpreted: shown, and read, as the characters typed
      return node.value
    case 'break':
      return '\n'
    case 'image':
      return node.alt ?? ''
    case 'thematicBreak':
    case 'definition':
    case 'footnoteReference':
    case 'imageReference':
      return ''
    case 'tableRow':
      return node.children.map(textOf).join(' | ')
    default:
      return childrenText(node as Parents)
  }
}

function childrenText(node: Parents): string {
  const parts = node.children.map(textOf)
  return BLOCKS.has(node.type) ? parts.filter((p) => p !== '').join('\n') : parts.join('')
}
