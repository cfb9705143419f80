import { IceServer } from '../../../src/shared/schemas/calls'

/** At most this many: each is tried by every window, and a LAN office needs one or two. */
export const ICE_SERVERS_MAX = 16

/** What a browser's RTCPeerConnection accepts: a stun:, stuns:, turn: or turns: URL (it throws on anything else, for every call). */
const ICE_URL = /^(stuns?|turns?):[^\s]+$/

export const IceServers = IceServer.array()
  .max(ICE_SERVERS_MAX)
  .superRefine((servers, ctx) => {
    for (const [i, server] of servers.entries()) {
      const urls = typeof server.urls === 'string' ? [server.urls] : server.urls
      for (const url of urls) if (!ICE_URL.test(url)) ctx.addIssue({ code: 'custom', path: [i, 'urls'], message: `${url} is not a stun:, stuns:, turn: or turns: URL` })
      if (urls.some((u) => u.startsWith('turn')) && (server.username === undefined || server.credential === undefined)) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'a TURN server needs a username and a credential' })
      }
    }
  })

/** The server admin's ICE servers from JSON, or what is wrong with them (the first problem, with where). */
export function parseIceServers(text: string): IceServer[] | string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    return `not JSON: ${(err as Error).message}`
  }
  return checkIceServers(json)
}

export function checkIceServers(value: unknown): IceServer[] | string {
  const parsed = IceServers.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const where = issue.path.length > 0 ? `at ${issue.path.map(String).join('.')}: ` : ''
  return `expected a JSON array of { urls, username?, credential? } (${where}${issue.message})`
}
