// What the window keeps of contact invitations: the count waiting for me, my
// invitations that were declined, and the notices a live event makes.
import { describe, expect, it } from 'vitest'
import type { Invitation } from '../../../src/shared/schemas/contacts'
import { NO_INVITATIONS, withInvitation, withoutDeclined, withoutNotice, withPendingLists } from '../../../src/renderer/src/store/invitation-state'

const person = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null, createdAt: '2026-01-01T00:00:00.000Z' })
const ME = 'me'

function invitation(id: string, from: string, to: string, status: Invitation['status'] = 'pending', createdAt = '2026-05-01T10:00:00.000Z'): Invitation {
  return { id, from: person(from, from), to: person(to, to), message: null, status, createdAt, respondedAt: status === 'pending' ? null : createdAt }
}

describe('invitations in the window', () => {
  it('an invitation to me counts as waiting and makes one notice, even if the event comes twice', () => {
    const sent = invitation('i1', 'alice', ME)
    let state = withInvitation(NO_INVITATIONS, sent, ME, false)
    state = withInvitation(state, sent, ME, false)
    expect(state.incoming).toEqual([sent])
    expect(state.notices.map((n) => n.key)).toEqual(['invited:i1'])
  })

  it('a list that was on its way while events came does not undo them', () => {
    const sent = invitation('i1', 'alice', ME)
    const mine = invitation('i2', ME, 'bob')
    // Sent before both invitations, answered after their events: it holds neither.
    let state = withInvitation(withInvitation(NO_INVITATIONS, sent, ME, false), mine, ME, false)
    state = withPendingLists(state, { incoming: [], outgoing: [] }, ME, [sent, mine])
    expect(state.incoming).toEqual([sent])
    expect(state.outgoing).toEqual([mine])
    expect(state.notices.map((n) => n.key)).toEqual(['invited:i1'])
    // Listed first, then told live: still news.
    state = withInvitation(withPendingLists(NO_INVITATIONS, { incoming: [sent], outgoing: [] }, ME), sent, ME, false)
    expect(state.notices.map((n) => n.key)).toEqual(['invited:i1'])
  })

  it('answered anywhere, it stops waiting and its notice goes; a declined one of mine is kept and told once', () => {
    let state = withInvitation(NO_INVITATIONS, invitation('i1', 'alice', ME), ME, false)
    state = withInvitation(state, invitation('i2', ME, 'bob'), ME, false)
    expect(state.outgoing.map((i) => i.id)).toEqual(['i2'])
    expect(state.notices).toHaveLength(1) // my own invitation makes no notice

    state = withInvitation(state, invitation('i1', 'alice', ME, 'accepted'), ME, false)
    expect(state.incoming).toEqual([])
    expect(state.notices).toEqual([])

    const declined = invitation('i2', ME, 'bob', 'declined')
    state = withInvitation(state, declined, ME, false)
    state = withInvitation(state, declined, ME, false)
    expect(state.outgoing).toEqual([])
    expect(state.declined).toEqual([declined])
    expect(state.notices.map((n) => n.key)).toEqual(['declined:i2'])

    state = withoutDeclined(state, 'i2')
    expect(state).toEqual(NO_INVITATIONS)
  })

  it('an invitation I declined, or one cancelled, leaves nothing behind', () => {
    let state = withInvitation(NO_INVITATIONS, invitation('i1', 'alice', ME), ME, false)
    state = withInvitation(state, invitation('i1', 'alice', ME, 'declined'), ME, false)
    state = withInvitation(state, invitation('i2', ME, 'bob'), ME, false)
    state = withInvitation(state, invitation('i2', ME, 'bob', 'cancelled'), ME, false)
    expect(state).toEqual(NO_INVITATIONS)
  })

  it('quiet while the person looks at the invitations: the lists change, no notice', () => {
    let state = withInvitation(NO_INVITATIONS, invitation('i1', 'alice', ME), ME, true)
    state = withInvitation(state, invitation('i2', ME, 'bob', 'declined'), ME, true)
    expect(state.incoming).toHaveLength(1)
    expect(state.declined).toHaveLength(1)
    expect(state.notices).toEqual([])
  })

  it("the server's lists replace the pending ones, newest first as given, and drop notices of what no longer waits", () => {
    let state = withInvitation(NO_INVITATIONS, invitation('i1', 'alice', ME), ME, false)
    state = withInvitation(state, invitation('i2', 'carol', ME, 'pending', '2026-05-01T11:00:00.000Z'), ME, false)
    expect(state.incoming.map((i) => i.id)).toEqual(['i2', 'i1'])
    state = withInvitation(state, invitation('i3', ME, 'bob', 'declined'), ME, false)
    state = withPendingLists(state, { incoming: [invitation('i2', 'carol', ME)], outgoing: [] }, ME)
    expect(state.incoming.map((i) => i.id)).toEqual(['i2'])
    expect(state.declined.map((i) => i.id)).toEqual(['i3'])
    expect(state.notices.map((n) => n.key)).toEqual(['invited:i2', 'declined:i3'])
    expect(withoutNotice(state, 'invited:i2').notices.map((n) => n.key)).toEqual(['declined:i3'])
  })
})
