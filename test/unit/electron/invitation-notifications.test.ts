// Which contact invitations make a desktop notification, and what it says.
import { expect, test } from 'vitest'
import type { Invitation } from '../../../src/shared/schemas/contacts'
import { decideInvitationNotification, type InvitationNotifyContext } from '../../../src/main/electron/invitation-notifications'

const person = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null, createdAt: '2026-01-01T00:00:00.000Z' })
const invitation = (over: Partial<Invitation> = {}): Invitation => ({
  id: 'i1',
  from: person('u-alice', 'Alice'),
  to: person('u-me', 'Me'),
  message: null,
  status: 'pending',
  createdAt: '2026-05-01T10:00:00.000Z',
  respondedAt: null,
  ...over
})
const ctx: InvitationNotifyContext = { meId: 'u-me', doNotDisturb: false, hidePreviews: false, windowFocused: false, announced: new Set() }

test('an invitation to me says who, and the note unless previews are hidden', () => {
  expect(decideInvitationNotification(invitation(), ctx)).toEqual({ title: 'Contact invitation', body: 'Alice invited you to their contacts.' })
  const withNote = invitation({ message: 'Hi,\n it’s Alice from accounting' })
  expect(decideInvitationNotification(withNote, ctx)?.body).toBe('Alice invited you to their contacts: “Hi, it’s Alice from accounting”')
  expect(decideInvitationNotification(withNote, { ...ctx, hidePreviews: true })?.body).toBe('Alice invited you to their contacts.')
})

test('nothing for my own invitations, answers, do not disturb, a focused window or one already announced', () => {
  expect(decideInvitationNotification(invitation({ from: person('u-me', 'Me'), to: person('u-bob', 'Bob') }), ctx)).toBeNull()
  expect(decideInvitationNotification(invitation({ status: 'declined' }), ctx)).toBeNull()
  expect(decideInvitationNotification(invitation(), { ...ctx, doNotDisturb: true })).toBeNull()
  expect(decideInvitationNotification(invitation(), { ...ctx, windowFocused: true })).toBeNull()
  expect(decideInvitationNotification(invitation(), { ...ctx, announced: new Set(['i1']) })).toBeNull()
})
