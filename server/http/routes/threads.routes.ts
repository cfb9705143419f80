import { FollowBody, FollowedThreadResponse, FollowedThreadsResponse, ThreadPage, ThreadPageQuery, ThreadParams, ThreadReadBody } from '../../../src/shared/schemas/threads'
import type { ThreadChange } from '../../services/threads.service'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function threadRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { threads } = services
  /** The caller's view of the thread; their devices hear of it after the response. */
  const answered = (change: ThreadChange): RouteResult => {
    const [mine] = change.updates
    return { status: 200, body: { thread: mine!.thread, following: mine!.following }, after: () => realtime.threadChanged(change) }
  }
  return [
    defineRoute({
      method: 'get',
      path: '/conversations/:id/threads/:seq',
      summary: "A thread: its root and a page of replies, oldest first (the newest page without before/after); the caller's cleared and expired history stays hidden",
      tag: 'threads',
      auth: true,
      params: ThreadParams,
      query: ThreadPageQuery,
      responses: { 200: { description: 'The root and replies', schema: ThreadPage } },
      errors: [403, 404],
      handler: async ({ caller, params, query }) => ({ status: 200, body: await threads.page(caller.userId, params.id, params.seq, query) })
    }),
    defineRoute({
      method: 'put',
      path: '/conversations/:id/threads/:seq/follow',
      summary: 'Follow or stop following a thread (writing in it, being mentioned in it or starting it follows it)',
      tag: 'threads',
      auth: true,
      params: ThreadParams,
      body: FollowBody,
      responses: { 200: { description: "The caller's view of the thread", schema: FollowedThreadResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => answered(await threads.follow(caller.userId, params.id, params.seq, body.following))
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/threads/:seq/read',
      summary: "Move the caller's read position in a thread forward (never back); their devices hear thread:updated",
      tag: 'threads',
      auth: true,
      params: ThreadParams,
      body: ThreadReadBody,
      responses: { 200: { description: "The caller's view of the thread", schema: FollowedThreadResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => answered(await threads.read(caller.userId, params.id, params.seq, body.seq))
    }),
    defineRoute({
      method: 'get',
      path: '/threads',
      summary: 'The threads the caller follows, unread first, then by last reply',
      tag: 'threads',
      auth: true,
      responses: { 200: { description: 'Followed threads', schema: FollowedThreadsResponse } },
      errors: [],
      handler: async ({ caller }) => ({ status: 200, body: { threads: await threads.list(caller.userId) } })
    })
  ]
}
