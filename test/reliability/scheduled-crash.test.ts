// Scheduled messages across a power cut (issue 21 item 4): the server kills
// itself (SIGKILL) right after a due scheduled message is stored and before
// its record is removed. After a restart the scheduler sends it again, the
// message store's dedupe by its fixed clientId answers with the stored one,
// and the record goes: exactly one message, and the list is empty.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ScheduledMessage } from '../../src/shared/schemas/scheduled'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { api, register } from '../helpers/http'
import { allMessages } from './helpers/history'

const dirs: string[] = []
afterAll(async () => {
  killChildServers()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('server crash while sending a scheduled message', () => {
  it('killed after the message is stored, before the record goes: one message after a restart', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'messenger-scheduled-crash-'))
    dirs.push(dataDir)
    let server = await startChildServer(dataDir)
    const alice = await register(server.url)
    const bob = await register(server.url)
    const made = await api(server.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'later', memberIds: [bob.user.id] } })
    const conversationId = made.body.conversation.id as string
    // As soon as the server allows: the next life comes to it within seconds.
    const sendAt = new Date(Date.now() + 6_000).toISOString()
    const scheduled = await api(server.url, 'POST', `/conversations/${conversationId}/messages`, {
      token: alice.accessToken,
      body: { clientId: randomUUID(), text: 'once only', sendAt }
    })
    expect(scheduled.status).toBe(201)
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)

    // This life dies at the crash point when the message comes due.
    server = await startChildServer(dataDir, [], { MESSENGER_CRASH_AT: 'scheduled-stored' })
    expect((await server.exited).signal).toBe('SIGKILL')

    server = await startChildServer(dataDir)
    const list = async (): Promise<ScheduledMessage[]> =>
      (await api<{ scheduled: ScheduledMessage[] }>(server.url, 'GET', '/scheduled', { token: alice.accessToken })).body.scheduled
    // On PostgreSQL the dead life's claim lapses first (SCHEDULED_CLAIM_MS).
    while ((await list()).length > 0) await new Promise((resolve) => setTimeout(resolve, 100))
    const history = await allMessages(server.url, bob.accessToken, conversationId)
    expect(history.filter((m) => m.text === 'once only')).toHaveLength(1)
    expect(history.find((m) => m.text === 'once only')?.senderId).toBe(alice.user.id)
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  })
})
