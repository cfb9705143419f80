// Links to one message: messenger://message?server=…&conversation=…&seq=…
// (the message menu's "Copy link"). `server` is the address the account
// signed in to, so the app opening it picks the account of that server.
import { z } from 'zod'

export interface MessageLink {
  server: string
  conversationId: string
  seq: number
}

const Fields = z.object({
  server: z.string().min(1),
  conversation: z.string().min(1).max(100),
  seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
})

export function messageLink({ server, conversationId, seq }: MessageLink): string {
  return `messenger://message?${new URLSearchParams({ server, conversation: conversationId, seq: String(seq) }).toString()}`
}

/** The message a link points at, or null when the text is not such a link (or is malformed). */
export function parseMessageLink(text: string): MessageLink | null {
  const trimmed = text.trim()
  if (!/^messenger:\/\/message\?/i.test(trimmed)) return null
  let params: URLSearchParams
  try {
    params = new URL(trimmed).searchParams
  } catch {
    return null
  }
  const parsed = Fields.safeParse(Object.fromEntries(params))
  if (!parsed.success) return null
  return { server: parsed.data.server, conversationId: parsed.data.conversation, seq: parsed.data.seq }
}

/** Whether two server addresses name the same server (scheme, case and a trailing slash aside). */
export function sameServer(a: string, b: string): boolean {
  const norm = (s: string): string => s.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '')
  return norm(a) === norm(b)
}
