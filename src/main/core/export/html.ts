// The HTML export's markup, written piece by piece (a page can hold
// thousands of messages and inline images). Every text from history is
// escaped; the page's Content-Security-Policy also forbids any script, so
// even a missed escape could not run one. CSS is inline: one file, offline.
import type { ExportPerson } from '../../../shared/schemas/export'
import type { Attachment } from '../../../shared/schemas/files'
import { systemWords } from '../../../shared/export-messages'
import type { Message } from '../../../shared/schemas/messages'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2230}
header,section{max-width:52rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid #d8dbe2}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.muted{color:#5c6475;font-size:.85rem}
.msg{background:#fff;border-radius:8px;padding:.5rem .75rem;margin:.4rem 0;box-shadow:0 1px 1px #0001}
.msg .who{font-weight:600;margin-right:.5rem}
.msg .text{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:.15rem}
.msg.system{background:none;box-shadow:none;text-align:center;color:#5c6475;font-size:.85rem}
.quote{border-left:3px solid #9aa3b5;padding-left:.5rem;color:#5c6475;margin:.2rem 0}
.file{margin-top:.3rem}.file img{max-width:100%;max-height:30rem;border-radius:6px;display:block}
.reactions{font-size:.85rem;margin-top:.2rem}
nav ul{padding-left:1.2rem}
@media (prefers-color-scheme:dark){body{background:#16181d;color:#e6e8ee}.msg{background:#22262e}header{border-color:#333a46}.muted,.msg.system,.quote{color:#a3abbb}}
`

export function pageStart(title: string, exportedAt: string, account: ExportPerson): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>\n` +
    `<header><h1>${escapeHtml(title)}</h1><div class="muted">Exported ${escapeHtml(exportedAt)} by ${escapeHtml(account.displayName)} (@${escapeHtml(account.username)})</div></header>\n`
  )
}

export function tableOfContents(conversations: { id: string; title: string }[]): string {
  const items = conversations.map((c) => `<li><a href="#c-${escapeHtml(c.id)}">${escapeHtml(c.title)}</a></li>`).join('')
  return `<section><nav><ul>${items}</ul></nav></section>\n`
}

export function conversationStart(id: string, title: string, count: number): string {
  return `<section id="c-${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2><div class="muted">${count} messages</div>\n`
}

export const CONVERSATION_END = '</section>\n'
export const PAGE_END = '</body></html>\n'

export type Names = (id: string) => string

/** How one attachment appears: an image inline, another file by name and size (a link when it is beside the page). */
export type FileMarkup = { image: string } | { href: string | null }

export function messageHtml(m: Message, name: Names, files: Map<string, FileMarkup>): string {
  const when = `<span class="muted">${escapeHtml(m.createdAt.replace('T', ' ').slice(0, 16))}</span>`
  if (m.kind === 'system' && m.system) {
    return `<div class="msg system">${escapeHtml(systemWords(m.system, name(m.senderId), name))} · ${when}</div>\n`
  }
  const parts = [`<div class="msg"><span class="who">${escapeHtml(name(m.senderId))}</span>${when}`]
  if (m.deletedAt) parts.push(`<div class="text muted">This message was deleted.</div>`)
  else {
    if (m.replyTo) parts.push(`<div class="quote">${escapeHtml(name(m.replyTo.senderId))}: ${escapeHtml(m.replyTo.preview)}</div>`)
    if (m.text) parts.push(`<div class="text">${escapeHtml(m.text)}${m.editedAt ? ' <span class="muted">(edited)</span>' : ''}</div>`)
    for (const a of m.attachments ?? []) parts.push(fileHtml(a, files.get(a.id) ?? { href: null }))
    const reactions = Object.entries(m.reactions ?? {}).filter(([, who]) => who.length)
    if (reactions.length) {
      parts.push(`<div class="reactions">${reactions.map(([emoji, who]) => `${escapeHtml(emoji)} ${escapeHtml(who.map(name).join(', '))}`).join(' · ')}</div>`)
    }
  }
  parts.push('</div>\n')
  return parts.join('')
}

function fileHtml(a: Attachment, markup: FileMarkup): string {
  const label = `${escapeHtml(a.name)} <span class="muted">(${escapeHtml(sizeText(a.size))})</span>`
  if ('image' in markup) return `<div class="file"><img src="${escapeHtml(markup.image)}" alt="${escapeHtml(a.name)}">${label}</div>`
  if (markup.href) return `<div class="file">📎 <a href="${escapeHtml(markup.href)}">${label}</a></div>`
  return `<div class="file">📎 ${label}</div>`
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}
