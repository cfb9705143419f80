// What the multi-node delivery tests share: users signed in on every node,
// raw sockets per node, and a send that records its ack.
import type { Message } from '../../src/shared/schemas/messages'
import type { Cluster } from '../helpers/cluster'
import { api, register, type TestUser } from '../helpers/http'
import { SEND_ACK_LIMIT_MS, type ClientSocket, type SendAck } from '../helpers/socket'

export { sendOrHang as send, SEND_ACK_LIMIT_MS as ACK_LIMIT_MS, type SendAck } from '../helpers/socket'

export interface NodeUser {
  user: TestUser
  /** An access token per node index. */
  tokens: string[]
}

/**
 * A user registered through the balancer and signed in on every node. Each
 * node's own sign-in gives a token that node accepts whatever the token
 * secret's story (one secret for all nodes is tested on its own): these
 * tests are about messages.
 */
export async function nodeUser(cluster: Cluster): Promise<NodeUser> {
  const user = await register(cluster.balancer.url)
  const tokens = await Promise.all(
    cluster.nodes.map(async (_, i) => {
      const res = await api(cluster.node(i).url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
      if (res.status !== 200) throw new Error(`login on node ${i}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.accessToken as string
    })
  )
  return { user, tokens }
}

/** A group of everyone, made by the first on node 0; its id. */
export async function groupOf(cluster: Cluster, users: NodeUser[], title: string): Promise<string> {
  const [owner, ...rest] = users
  const res = await api(cluster.node(0).url, 'POST', '/conversations', {
    token: owner!.tokens[0]!,
    body: { kind: 'group', title, memberIds: rest.map((u) => u.user.user.id) }
  })
  if (res.status !== 201) throw new Error(`group: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.conversation.id as string
}

/** A new direct chat of two people, made by `a` on node 0; its id. */
export async function directOf(cluster: Cluster, a: NodeUser, b: NodeUser): Promise<string> {
  const res = await api(cluster.node(0).url, 'POST', '/conversations', { token: a.tokens[0]!, body: { kind: 'direct', userId: b.user.user.id } })
  if (res.status !== 201) throw new Error(`direct chat: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.conversation.id as string
}

/** An event not heard this long after what caused it was acknowledged is lost. */
export const HEARD_LIMIT_MS = 20_000

/** Resolves once `done()` holds (checked at every event the sockets hear) or HEARD_LIMIT_MS passed (the caller then says what is missing). */
export function heardWithin(listeners: ClientSocket[], done: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(finish, HEARD_LIMIT_MS)
    function finish(): void {
      clearTimeout(timer)
      for (const socket of listeners) socket.offAny(check)
      resolve()
    }
    // onAny runs before the event's own listeners: look once they have run.
    function check(): void {
      queueMicrotask(() => {
        if (done()) finish()
      })
    }
    for (const socket of listeners) socket.onAny(check)
    check()
  })
}

/** The message of an ok ack; throws with what came instead. */
export function acked(ack: SendAck, what: string): Message {
  if (ack === 'hang') throw new Error(`${what}: no ack in ${SEND_ACK_LIMIT_MS} ms`)
  if (!ack.ok) throw new Error(`${what}: ${ack.error.code}: ${ack.error.message}`)
  return ack.data.message
}

/** The fields that make a message the same message. */
export const identity = (m: Message): Pick<Message, 'id' | 'seq' | 'clientId' | 'senderId' | 'conversationId' | 'text'> => ({
  id: m.id,
  seq: m.seq,
  clientId: m.clientId,
  senderId: m.senderId,
  conversationId: m.conversationId,
  text: m.text
})
