import {
  AnswerInvitationBody,
  ContactListResponse,
  ContactParams,
  CreateInvitationBody,
  InvitationListResponse,
  InvitationParams,
  InvitationResponse,
  type Invitation
} from '../../../src/shared/schemas/contacts'
import type { ContactChange } from '../../services/contacts.service'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function contactRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { contacts } = services

  /** The invitation in the body; the change is announced to both people after the response. */
  const answered = ({ invitation, change }: { invitation: Invitation; change: ContactChange }, status = 200): RouteResult => ({
    status,
    body: { invitation },
    after: () => realtime.contactsChanged(change)
  })

  return [
    defineRoute({
      method: 'post',
      path: '/invitations',
      summary: 'Invite someone to be a contact, with an optional note; if they already invited you, theirs is accepted',
      tag: 'contacts',
      auth: true,
      body: CreateInvitationBody,
      responses: {
        200: { description: 'They had already invited you: their invitation, now accepted; you are contacts', schema: InvitationResponse },
        201: { description: 'Invitation sent', schema: InvitationResponse }
      },
      errors: [404, 409, 429],
      handler: async ({ caller, body }) => {
        const outcome = await contacts.invite(caller.userId, body)
        return answered(outcome, outcome.kind === 'sent' ? 201 : 200)
      }
    }),
    defineRoute({
      method: 'get',
      path: '/invitations',
      summary: 'Pending invitations to and from the caller',
      tag: 'contacts',
      auth: true,
      responses: { 200: { description: 'Incoming and outgoing, newest first', schema: InvitationListResponse } },
      handler: async ({ caller }) => ({ status: 200, body: await contacts.pending(caller.userId) })
    }),
    defineRoute({
      method: 'post',
      path: '/invitations/:id/accept',
      summary: 'Accept an invitation (its recipient): the two become contacts',
      tag: 'contacts',
      auth: true,
      params: InvitationParams,
      body: AnswerInvitationBody,
      responses: { 200: { description: 'The invitation, accepted', schema: InvitationResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => answered(await contacts.accept(caller.userId, params.id))
    }),
    defineRoute({
      method: 'post',
      path: '/invitations/:id/decline',
      summary: 'Decline an invitation (its recipient); the sender cannot invite again for a day',
      tag: 'contacts',
      auth: true,
      params: InvitationParams,
      body: AnswerInvitationBody,
      responses: { 200: { description: 'The invitation, declined', schema: InvitationResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => answered(await contacts.decline(caller.userId, params.id))
    }),
    defineRoute({
      method: 'delete',
      path: '/invitations/:id',
      summary: 'Cancel an invitation you sent',
      tag: 'contacts',
      auth: true,
      params: InvitationParams,
      responses: { 204: { description: 'Cancelled' } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => {
        const { change } = await contacts.cancel(caller.userId, params.id)
        return { status: 204, after: () => realtime.contactsChanged(change) }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/contacts',
      summary: "The caller's contacts",
      tag: 'contacts',
      auth: true,
      responses: { 200: { description: 'By display name', schema: ContactListResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { contacts: await contacts.list(caller.userId) } })
    }),
    defineRoute({
      method: 'delete',
      path: '/contacts/:userId',
      summary: 'Remove a contact, for both people; a direct chat between them stays',
      tag: 'contacts',
      auth: true,
      params: ContactParams,
      responses: { 204: { description: 'Removed' } },
      errors: [404],
      handler: async ({ caller, params }) => {
        const change = await contacts.remove(caller.userId, params.userId)
        return { status: 204, after: () => realtime.contactsChanged(change) }
      }
    })
  ]
}
