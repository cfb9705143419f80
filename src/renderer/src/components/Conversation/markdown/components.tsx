// How each Markdown element is drawn in a message. Links open outside the
// window (target _blank: Electron hands http, https and mailto to the OS);
// a link whose address was refused (safe-url.ts) is plain text; an image is
// a link to its address, never fetched; headings are bold lines, as a chat
// is not a document.
import type { ReactNode } from 'react'
import type { Components } from 'react-markdown'
import { UserGroupChip } from '../../dialogs/user-groups/UserGroupChip'
import { CodeBlock } from './CodeBlock'

function Link({ href, children }: { href?: string | undefined; children?: ReactNode }): React.JSX.Element {
  if (!href) return <span>{children}</span>
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  )
}

function Heading({ children }: { children?: ReactNode }): React.JSX.Element {
  return (
    <p>
      <strong>{children}</strong>
    </p>
  )
}

export const COMPONENTS: Components = {
  a: ({ href, children }) => <Link href={href}>{children}</Link>,
  img: ({ src, alt }) => <Link href={typeof src === 'string' ? src : undefined}>{alt || src}</Link>,
  h1: Heading,
  h2: Heading,
  h3: Heading,
  h4: Heading,
  h5: Heading,
  h6: Heading,
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  // A user group's mention (remark-mentions.ts): the chip that lists who is in it.
  span: ({ node, children, ...rest }) => {
    const groupId = node?.properties['dataGroupId']
    if (typeof groupId === 'string') return <UserGroupChip groupId={groupId} me={String(rest.className).includes('mention--me')} />
    return <span {...rest}>{children}</span>
  },
  // A task list's box is shown, not a form control to tick.
  input: ({ checked }) => <span className="task-box">{checked ? '☑' : '☐'} </span>
}
