// Issue 20: a message that carries messenger://message links gets a button per
// link that shows the linked message here, in the account of its server.
import { parseMessageLink } from '../../../../shared/message-link'
import { i18n } from '../../i18n'
import { useStore } from '../../store'

const LINK_RE = /messenger:\/\/message\?[^\s<>"']+/gi

export function MessageLinks({ text }: { text: string }): React.JSX.Element | null {
  if (!text.includes('messenger://message')) return null
  const links = [...new Set([...text.matchAll(LINK_RE)].map((m) => m[0]))].filter((l) => parseMessageLink(l))
  if (links.length === 0) return null
  return (
    <div className="message-links">
      {links.map((link) => (
        <button key={link} className="link-btn" title={link} onClick={() => useStore.getState().openMessageLink(link)}>
          {i18n.t('messageMenu.openLinked')}
        </button>
      ))}
    </div>
  )
}
