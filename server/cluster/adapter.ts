// The Socket.IO adapter that carries broadcasts, room joins and leaves, and
// disconnections between the nodes of one organisation, over Redis 7 sharded
// pub/sub.
import { createShardedAdapter } from '@socket.io/redis-adapter'
import type { RedisLink } from './redis'

/**
 * Static subscription mode: every node listens on the namespace's one
 * channel and drops what concerns none of its sockets. Not "dynamic" (a
 * channel per room, subscribed while the node has a socket in it), because:
 * - a member added on node 0 must hear the very next message on node 2; in
 *   dynamic mode node 2 subscribes to the conversation's channel only after
 *   the join reaches it, and the message, published on that channel right
 *   behind the join, can arrive before the subscription does and be lost.
 *   On one channel the join and the message arrive in the order published.
 * - every socket sits in a user:, a session: and all its conv: rooms, so
 *   dynamic mode would cost an SSUBSCRIBE and an SUNSUBSCRIBE per room on
 *   every connect and disconnect, tens of thousands of channels per node.
 * - a few nodes on a LAN: filtering a broadcast that concerns no local
 *   socket is a map look-up, cheaper than that churn.
 */
export const SUBSCRIPTION_MODE = 'static'

export function redisAdapter(redis: RedisLink): ReturnType<typeof createShardedAdapter> {
  return createShardedAdapter(redis.pub, redis.sub, { subscriptionMode: SUBSCRIPTION_MODE })
}
