// Reading a conversation's whole history over REST, and checking it is whole.
import type { Message } from '../../../src/shared/schemas/messages'
import { api } from '../../helpers/http'

export async function allMessages(url: string, token: string, conversationId: string): Promise<Message[]> {
  const out: Message[] = []
  let after = 0
  for (;;) {
    const page = await api(url, 'GET', `/conversations/${conversationId}/messages?after=${after}&limit=200`, { token })
    if (page.status !== 200) throw new Error(`history of ${conversationId}: ${page.status} ${JSON.stringify(page.body)}`)
    out.push(...(page.body.messages as Message[]))
    after = out.at(-1)?.seq ?? after
    if (!page.body.hasMore) return out
  }
}

/** Problems with a history: seqs not 1..n, or a clientId stored twice by one sender. */
export function historyProblems(history: Message[]): string[] {
  const problems: string[] = []
  history.forEach((m, i) => {
    if (m.seq !== i + 1) problems.push(`position ${i + 1} holds seq ${m.seq}`)
  })
  const seen = new Set<string>()
  for (const m of history.filter((x) => x.kind === 'text')) {
    const key = `${m.senderId}/${m.clientId}`
    if (seen.has(key)) problems.push(`clientId ${m.clientId} stored twice`)
    seen.add(key)
  }
  return problems
}
