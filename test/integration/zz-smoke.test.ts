import { afterAll, expect, test } from 'vitest'
import { startServer } from '../helpers/server'
import { startClient } from '../helpers/client'

test('smoke', async () => {
  const server = await startServer()
  const a = await startClient()
  const b = await startClient()
  const sa = await a.call('session.register', { serverUrl: server.url, username: 'alice', password: 'password1' })
  expect(sa.status).toBe('signed_in')
  await b.call('session.register', { serverUrl: server.url, username: 'bob', password: 'password1' })
  await a.waitFor('connection', (c) => c.status === 'online')
  await b.waitFor('connection', (c) => c.status === 'online')
  const users = await a.call('users.search', { query: 'bob' })
  const { conversation } = (await a.call('conversations.openDirect', { userId: users[0]!.id })) as any
  const p = await a.call('messages.send', { conversationId: conversation.id, text: 'hello bob' })
  expect(p.state).toBe('pending')
  await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'hello bob'))
  const page = await b.call('messages.page', { conversationId: conversation.id })
  expect(page.messages.map((m) => m.text)).toEqual(['hello bob'])
  await a.waitFor('outbox', (o) => o.removed.includes(p.clientId))
  const list = await b.call('conversations.list')
  expect(list[0]!.unreadCount).toBe(1)
  console.log(JSON.stringify(a.events.map(e=>e.type)))
  await a.destroy(); await b.destroy(); await server.destroy()
})
