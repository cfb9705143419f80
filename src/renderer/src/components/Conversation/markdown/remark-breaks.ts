// A chat's Enter is a new line: a single line break in a paragraph stays a
// break (Markdown would join the lines), as in Slack and Mattermost.
import type { Root } from 'mdast'
import { findAndReplace } from 'mdast-util-find-and-replace'

export function remarkBreaks() {
  return (tree: Root): void => {
    findAndReplace(tree, [/\r?\n|\r/g, () => ({ type: 'break' })])
  }
}
