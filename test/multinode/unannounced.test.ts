// A node that dies between storing a message and announcing it: the message
// is in the database, but no node told the other members. The sender's
// retry (an outbox resends with the same clientId, here through another
// node) finds the original; the other members must hear of it then, on
// whichever node they are, and not only at the next message of the
// conversation (in a quiet conversation, that may be never).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers } from '../helpers/child-server'
import { startCluster, type Cluster } from '../helpers/cluster'
import { killPrivateRedis } from '../helpers/redis'
import { connect, type ClientSocket } from '../helpers/socket'
import { allMessages } from '../reliability/helpers/history'
import { acked, groupOf, identity, nodeUser, send, type NodeUser } from './senders'

/** A message not heard this long after the retry was acknowledged is not announced. */
const HEARD_LIMIT_MS = 15_000

let cluster: Cluster
const sockets: ClientSocket[] = []

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 })
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await cluster?.destroy()
  killChildServers()
  killPrivateRedis()
})

/** Resolves with the first message:new of this clientId the socket hears, or null after HEARD_LIMIT_MS. */
function hears(socket: ClientSocket, clientId: string): Promise<Message | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('message:new', listener)
      resolve(null)
    }, HEARD_LIMIT_MS)
    const listener = ({ message }: { message: Message }): void => {
      if (message.clientId !== clientId) return
      clearTimeout(timer)
      socket.off('message:new', listener)
      resolve(message)
    }
    socket.on('message:new', listener)
  })
}

describe('a message stored by a node that died before announcing it', () => {
  it('is announced to the other members, on every node, when its sender retries through another node', async () => {
    const [sender, ...others]: NodeUser[] = await Promise.all([1, 2, 3].map(() => nodeUser(cluster)))
    const conversationId = await groupOf(cluster, [sender!, ...others], 'unannounced')
    // Node 2 now dies right after storing a new message (MESSENGER_CRASH_AT, the crash hook).
    await cluster.kill(2)
    await cluster.start(2, { MESSENGER_CRASH_AT: 'message-stored' })

    const senderOn2 = await connect(cluster.node(2).url, sender!.tokens[2])
    const senderOn0 = await connect(cluster.node(0).url, sender!.tokens[0])
    const receivers = [await connect(cluster.node(0).url, others[0]!.tokens[0]), await connect(cluster.node(1).url, others[1]!.tokens[1])]
    sockets.push(senderOn2, senderOn0, ...receivers)

    const payload = { conversationId, clientId: randomUUID(), text: 'stored, then the node died' }
    const heard = receivers.map((r) => hears(r, payload.clientId))
    const lost = await send(senderOn2, payload)
    expect(lost === 'hang' || !lost.ok, 'the dying node never answered').toBe(true)
    expect((await cluster.node(2).exited).signal).toBe('SIGKILL')
    const stored = await allMessages(cluster.node(1).url, others[1]!.tokens[1]!, conversationId)
    expect(stored.filter((m) => m.clientId === payload.clientId), 'it was stored before the node died').toHaveLength(1)

    // The retry, through node 0, answers the original; the others hear of it, on nodes 0 and 1.
    const original = acked(await send(senderOn0, payload), 'the retry through node 0')
    expect(identity(original)).toEqual(identity(stored.find((m) => m.clientId === payload.clientId)!))
    const got = await Promise.all(heard)
    expect(got.map((m) => (m ? identity(m) : 'never heard')), 'the members on nodes 0 and 1').toEqual([identity(original), identity(original)])
  })
})
