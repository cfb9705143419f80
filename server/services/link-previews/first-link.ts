// The first http(s) link a reader sees in a message's Markdown: bare
// addresses (GFM autolinks), <…> and [text](…) links; never one inside code
// or raw HTML (shown as typed), nor an app link (messenger://).
import type { Nodes } from 'mdast'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'

export function firstLink(markdown: string): string | null {
  if (!/https?:\/\/|www\./i.test(markdown)) return null
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
  return find(tree)
}

function find(node: Nodes): string | null {
  if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'html') return null
  if (node.type === 'link' && /^https?:\/\//i.test(node.url)) return node.url
  if (!('children' in node)) return null
  for (const child of node.children) {
    const found = find(child)
    if (found) return found
  }
  return null
}
