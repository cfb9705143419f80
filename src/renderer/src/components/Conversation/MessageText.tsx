// Message text as React text nodes. Only http(s) addresses become links;
// anything else (javascript:, data:, HTML) stays inert text.
const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi

export function MessageText({ text }: { text: string }): React.JSX.Element {
  const parts: Array<string | { href: string }> = []
  let last = 0
  for (const match of text.matchAll(URL_RE)) {
    const at = match.index
    if (at > last) parts.push(text.slice(last, at))
    parts.push({ href: match[0] })
    last = at + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return (
    <span className="message-text">
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a key={i} href={safeHref(p.href)} target="_blank" rel="noreferrer noopener">
            {p.href}
          </a>
        )
      )}
    </span>
  )
}

function safeHref(href: string): string {
  try {
    const url = new URL(href)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#'
  } catch {
    return '#'
  }
}
