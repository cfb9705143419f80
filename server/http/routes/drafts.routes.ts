import { DeleteDraftQuery, DraftParams, DraftResponse, DraftsResponse, PutDraftBody } from '../../../src/shared/schemas/drafts'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

/** Drafts (i20-drafts): what the caller started writing, per conversation and thread, for their other devices. */
export function draftRoutes({ services }: RouteDeps): AnyRoute[] {
  const { drafts } = services
  return [
    defineRoute({
      method: 'get',
      path: '/drafts',
      summary: "The caller's drafts in the conversations they are a member of",
      tag: 'drafts',
      auth: true,
      responses: { 200: { description: 'Every draft with text or a reply', schema: DraftsResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { drafts: await drafts.list(caller.userId) } })
    }),
    defineRoute({
      method: 'put',
      path: '/drafts/:conversationId',
      summary:
        "Store a draft of the conversation's composer (threadRoot null) or of a thread; an older updatedAt than the stored one is ignored; an empty text with no replyTo deletes it. The caller's other devices get draft:updated",
      tag: 'drafts',
      auth: true,
      params: DraftParams,
      body: PutDraftBody,
      responses: { 200: { description: 'The draft as stored now: this one, or a newer one kept', schema: DraftResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: { draft: await drafts.put(caller.userId, caller.sessionId, params.conversationId, body) }
      })
    }),
    defineRoute({
      method: 'delete',
      path: '/drafts/:conversationId',
      summary: "Delete the draft of a conversation's composer, or of a thread with ?threadRoot=",
      tag: 'drafts',
      auth: true,
      params: DraftParams,
      query: DeleteDraftQuery,
      responses: { 204: { description: 'Deleted (or there was none)' } },
      errors: [403, 404],
      handler: async ({ caller, params, query }) => {
        await drafts.delete(caller.userId, caller.sessionId, params.conversationId, query.threadRoot ?? null)
        return { status: 204 }
      }
    })
  ]
}
