// Child process of bench:calls: one person's client core and Node host (the
// browser host that serves the built window), in a process of its own so its
// CPU is counted apart from the benchmark's driver and from the others'.
import { silentLogger } from '../../src/main/core/logger'
import { startWebHost, staticRenderer, type WebHost } from '../../src/main/web/host'
import { signUp, startClient, type TestClient } from '../helpers/client'
import { serve } from './rpc'

let client: TestClient | null = null
let host: WebHost | null = null

const core = (): TestClient => {
  if (!client) throw new Error('not started')
  return client
}

serve({
  start: async ({ serverUrl, username, rendererDir }: { serverUrl: string; username: string; rendererDir: string }) => {
    client = await startClient()
    const { me } = await signUp(client, serverUrl, username)
    host = await startWebHost({ core: client.core, renderer: () => staticRenderer(rendererDir), log: silentLogger })
    return { url: host.url, userId: me.id, pid: process.pid }
  },
  openDirect: async ({ userId }: { userId: string }): Promise<string> => {
    const opened = await core().call('conversations.openDirect', { userId })
    if (!('conversation' in opened)) throw new Error('openDirect answered with an invitation')
    const conversationId = opened.conversation.id
    // A direct chat shows in the other person's sidebar once it holds a message.
    await core().call('messages.send', { conversationId, text: 'Call me?' })
    return conversationId
  },
  createGroup: async ({ title, memberIds }: { title: string; memberIds: string[] }): Promise<string> =>
    (await core().call('conversations.createGroup', { title, memberIds })).id,
  exit: async () => {
    await host?.close()
    await client?.destroy()
    host = null
    client = null
  }
})
