import { LIMITS } from '../../../src/shared/limits'
import { SearchQuery, SearchResponse } from '../../../src/shared/schemas/search'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function searchRoutes({ services }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/search',
      summary: "Search the text of the caller's conversations (parts of words match, 3 characters or more), newest first",
      tag: 'messages',
      auth: true,
      query: SearchQuery,
      responses: { 200: { description: 'Matches, newest first', schema: SearchResponse } },
      errors: [503],
      handler: async ({ caller, query }) => ({
        status: 200,
        body: await services.search.search(caller.userId, query.q, query.before, query.limit ?? LIMITS.pageSizeDefault)
      })
    })
  ]
}
