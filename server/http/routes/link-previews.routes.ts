// Issue 21: link previews. The server fetches them by itself (the
// linkPreviews setting); clients only remove one, as its message's sender.
import { MessageParams, MessageResponse } from '../../../src/shared/schemas/messages'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function linkPreviewRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/messages/:seq/preview',
      summary: 'Remove the link preview of your own message; it stays removed, even after edits (removing twice changes nothing)',
      tag: 'messages',
      auth: true,
      params: MessageParams,
      responses: { 200: { description: 'The message without its preview', schema: MessageResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => {
        const { message, changed } = await services.linkPreviews.remove(caller.userId, params.id, params.seq)
        return { status: 200, body: { message }, after: () => changed && realtime.messageUpdated(message) }
      }
    })
  ]
}
