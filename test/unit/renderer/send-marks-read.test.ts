// Writing in a conversation is reading it: the store's send marks what came
// before as read, whether or not the message list reported its end on screen.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'

const ok = <T>(data: T) => Promise.resolve({ ok: true as const, data })
let messenger: { messages: { send: ReturnType<typeof vi.fn> }; conversations: { markRead: ReturnType<typeof vi.fn> } }

beforeEach(() => {
  messenger = { messages: { send: vi.fn(() => ok({})) }, conversations: { markRead: vi.fn(() => ok({ readSeq: 5 })) } }
  vi.stubGlobal('window', { messenger, addEventListener: () => undefined, removeEventListener: () => undefined })
  vi.stubGlobal('navigator', { languages: ['en'] })
})
afterEach(() => vi.unstubAllGlobals())

async function storeWith(lastSeq: number, readSeq: number) {
  vi.resetModules()
  const { useStore } = await import('../../../src/renderer/src/store')
  useStore.setState({ conversations: { c1: { id: 'c1', lastSeq, readSeq } as never } })
  return useStore.getState
}

it('sending where messages are unread marks them read up to the newest', async () => {
  const s = await storeWith(5, 3)
  await s().send('c1', 'on it')
  expect(messenger.conversations.markRead).toHaveBeenCalledWith({ conversationId: 'c1', seq: 5 })
  expect(messenger.messages.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'on it' })
})

it('sending where everything is read asks nothing more', async () => {
  const s = await storeWith(5, 5)
  await s().send('c1', 'and this')
  expect(messenger.conversations.markRead).not.toHaveBeenCalled()
})
