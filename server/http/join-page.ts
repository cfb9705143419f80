// GET /join/{code}: an invite link people can paste in an email or a chat
// that knows nothing of messenger:// links. A small page says to open it in
// LAN Messenger (the messenger:// link, with this server's address and
// certificate fingerprint) and shows the code to type by hand. It answers
// the same for every well-formed code, valid or not: the page must not tell
// a guesser which codes work (joins are limited; page views are not).
import type { RequestHandler } from 'express'
import { inviteLink } from '../../src/shared/invite'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../src/shared/schemas/groups'
import { AppError } from '../errors'

export const JOIN_PAGE_PATH = '/join/:code'

const CODE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`)
/** A Host header as browsers send it (name or address, optional port); anything else gets no messenger:// link. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** ABCDE12345 → ABCDE-12345, as the app shows it. */
const spaced = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`

export function joinPageHandler(identity: { name: string; fingerprint: string | null }): RequestHandler {
  return (req, res) => {
    const code = String(req.params['code'] ?? '').toUpperCase()
    if (!CODE.test(code)) throw new AppError('validation_failed', `code: a join code is ${JOIN_CODE_LENGTH} letters and digits`)
    const host = req.get('host') ?? ''
    const server = HOST.test(host) ? `${req.protocol}://${host}` : null
    const link = server ? inviteLink(server, identity.fingerprint, { code }) : null
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.end(page(identity.name, code, link, server))
  }
}

function page(name: string, code: string, link: string | null, server: string | null): string {
  const open = link ? `<p><a class="open" href="${escapeHtml(link)}">Open in LAN Messenger</a></p>` : ''
  const by = server ? ` on the server <code>${escapeHtml(server)}</code>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Join a group on ${escapeHtml(name)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1c1f24;background:#fff}
.open{display:inline-block;padding:.6rem 1rem;border-radius:6px;background:#2b6cde;color:#fff;text-decoration:none}
.code{font:600 1.5rem ui-monospace,monospace;letter-spacing:.1em}
@media (prefers-color-scheme:dark){body{color:#e6e8ee;background:#16181d}.open{background:#5b93f0;color:#0b1a33}}</style></head>
<body><main><h1>Join a group on ${escapeHtml(name)}</h1>
<p>You were invited to a group in LAN Messenger.</p>${open}
<p>Or, in the app, choose <strong>Join a group</strong> and type this code${by}:</p>
<p class="code">${spaced(code)}</p>
<p>Whoever sent you this link can make a new code if this one no longer works.</p></main></body></html>
`
}

/** Its entry in the OpenAPI document (relative to /api/v1): served from the root. */
export function joinPageOperation(errorRef: object): Record<string, unknown> {
  return {
    get: {
      operationId: 'getJoinPage',
      summary:
        'A web page for a group invite link pasted where messenger:// links do not open: "Open in LAN Messenger" and the join code to type by hand. The same page for any well-formed code (it does not tell whether the code works)',
      tags: ['groups'],
      servers: [{ url: '/' }],
      // In any case, as the app reads a typed code.
      parameters: [
        { name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: `^[${JOIN_CODE_ALPHABET}${JOIN_CODE_ALPHABET.toLowerCase()}]{${JOIN_CODE_LENGTH}}$` } }
      ],
      responses: {
        200: { description: 'The page', content: { 'text/html': { schema: { type: 'string', contentMediaType: 'text/html' } } } },
        400: { description: 'Not a join code (10 letters and digits)', content: { 'application/json': { schema: errorRef } } }
      }
    }
  }
}
