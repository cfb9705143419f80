// A remark plugin: `@word` in text becomes a chip when the message names it
// (mention-chips.ts decides which); any other `@word` stays text. Links and
// code are left alone (an e-mail address is a link by then).
import type { PhrasingContent, Root } from 'mdast'
import { findAndReplace } from 'mdast-util-find-and-replace'
import type { MentionChips } from '../../../lib/mention-chips'

const MENTION = /@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/gi

export function remarkMentions(options: { chips: MentionChips }) {
  const { chips } = options
  return (tree: Root): void => {
    if (Object.keys(chips).length === 0) return
    findAndReplace(
      tree,
      [
        MENTION,
        (whole: string, word: string, match: { index: number; input: string }) => {
          // "me@alice" is not a mention: the @ must start a word.
          const before = match.input.charAt(match.index - 1)
          if (before && /[\p{L}\p{N}_.@-]/u.test(before)) return false
          const chip = chips[word.toLowerCase()]
          if (!chip) return false
          return chipNode(whole, chip.label, chip.me, chip.groupId)
        }
      ],
      { ignore: ['link', 'linkReference'] }
    )
  }
}

function chipNode(typed: string, label: string, me: boolean, groupId: string | undefined): PhrasingContent {
  // Its own node type (a text node would merge with its neighbours), drawn as a span by
  // remark-rehype (hName); the text is the current name, the title what was typed. A
  // group's chip carries its id, so components.tsx draws it as the chip that lists its members.
  const properties = { className: me ? ['mention', 'mention--me'] : ['mention'], title: typed, ...(groupId ? { dataGroupId: groupId } : {}) }
  return {
    type: 'mention',
    children: [{ type: 'text', value: `@${label}` }],
    data: { hName: 'span', hProperties: properties }
  } as unknown as PhrasingContent
}
