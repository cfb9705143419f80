import { randomUUID } from 'node:crypto'
import { Memory } from 'lowdb'
import { beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../server/errors'
import { ContactService } from '../../../server/services/contacts.service'
import { MetaStore } from '../../../server/store/meta-store'
import type { DbData, UserRecord } from '../../../server/store/records'

let memory: Memory<DbData>
let store: MetaStore
let now = Date.parse('2030-01-01T00:00:00Z')
const clock = (): number => now

async function user(name: string): Promise<UserRecord> {
  const record: UserRecord = {
    id: randomUUID(),
    username: name,
    usernameLower: name.toLowerCase(),
    displayName: name,
    statusText: '',
    passwordHash: 'scrypt$x',
    createdAt: new Date(0).toISOString()
  }
  await store.users.create(record)
  return record
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

beforeEach(async () => {
  memory = new Memory<DbData>()
  store = await MetaStore.open(memory)
})

describe('ContactService', () => {
  it('limits how many invitations one person sends per hour, counting invite-cancel loops', async () => {
    const contacts = new ContactService(store, clock, { declineCooldownMs: 1000, invitationsPerHour: 3 })
    const [ann, ben, cat] = [await user('ann'), await user('ben'), await user('cat')]
    for (let i = 0; i < 3; i++) {
      const sent = await contacts.invite(ann.id, { userId: ben.id })
      await contacts.cancel(ann.id, sent.invitation.id)
    }
    const limited = await refusal(contacts.invite(ann.id, { userId: cat.id }))
    expect(limited.code).toBe('rate_limited')
    expect(limited.message).toMatch(/too many invitations.*60 minute/)
    // When the oldest of the hour's invitations frees a slot.
    expect(limited.retryAfterMs).toBe(3600_000)
    // Others are not limited by ann's sending, and answering is never limited.
    expect((await contacts.invite(ben.id, { userId: cat.id })).kind).toBe('sent')
    now += 3600_000
    expect((await contacts.invite(ann.id, { userId: cat.id })).kind).toBe('sent')
  })

  it('keeps only the latest invitation per sender and recipient', async () => {
    const contacts = new ContactService(store, clock)
    const [ann, ben] = [await user('ann'), await user('ben')]
    for (let i = 0; i < 5; i++) {
      const sent = await contacts.invite(ann.id, { userId: ben.id })
      await contacts.cancel(ann.id, sent.invitation.id)
    }
    const last = await contacts.invite(ann.id, { userId: ben.id, message: 'last one' })
    const data = (await memory.read())!
    expect(Object.values(data.invitations).map((i) => i.message)).toEqual(['last one'])
    expect((await contacts.pending(ben.id)).incoming).toEqual([last.invitation])
  })

  it('reads a document written before contacts existed, and rebuilds its indexes on reopen', async () => {
    const [ann, ben, cat] = [await user('ann'), await user('ben'), await user('cat')]
    const old = (await memory.read())!
    delete (old as Partial<DbData>).invitations
    delete (old as Partial<DbData>).contacts
    await memory.write(old)
    store = await MetaStore.open(memory)
    let contacts = new ContactService(store, clock)
    expect((await contacts.list(ann.id))).toEqual([])

    const accepted = await contacts.invite(ann.id, { userId: ben.id })
    await contacts.accept(ben.id, accepted.invitation.id)
    const pending = await contacts.invite(cat.id, { userId: ann.id })
    store = await MetaStore.open(memory)
    contacts = new ContactService(store, clock)
    expect((await contacts.list(ann.id)).map((u) => u.id)).toEqual([ben.id])
    expect((await contacts.pending(ann.id)).incoming.map((i) => i.id)).toEqual([pending.invitation.id])
    expect((await refusal(contacts.invite(ann.id, { userId: ben.id }))).code).toBe('conflict')
  })

  it('answers concurrent invitations between the same two people with one invitation', async () => {
    const contacts = new ContactService(store, clock)
    const [ann, ben] = [await user('ann'), await user('ben')]
    const results = await Promise.allSettled([
      contacts.invite(ann.id, { userId: ben.id }),
      contacts.invite(ann.id, { userId: ben.id }),
      contacts.invite(ben.id, { userId: ann.id })
    ])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as AppError).code))).toEqual(['sent', 'conflict', 'accepted'])
    expect((await contacts.list(ann.id)).map((u) => u.id)).toEqual([ben.id])
  })
})
