// Raw HTML in a message is shown as the characters typed ("use <div> here"),
// never interpreted and never dropped: each html node becomes plain text.
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'

export function remarkLiteralHtml() {
  return (tree: Root): void => {
    visit(tree, 'html', (node, index, parent) => {
      if (!parent || index === undefined) return
      parent.children[index] = { type: 'text', value: node.value }
    })
  }
}
