// Who offers first on each connection of the mesh, decided the same way on
// both sides from the server's view of the call: the later joiner (then the
// larger peerId) offers. So a newcomer offers to everyone already there, and
// nobody waits for an offer that nobody sends. Pure, tested in node.
import type { CallParticipant } from '../../../shared/schemas/calls'

type Joined = Pick<CallParticipant, 'peerId' | 'joinedAt'>

export function offersFirst(me: Joined, other: Joined): boolean {
  if (me.joinedAt !== other.joinedAt) return me.joinedAt > other.joinedAt
  return me.peerId > other.peerId
}
