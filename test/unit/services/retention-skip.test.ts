// The retention job on a real store: a conversation whose oldest kept
// message is newer than the cut-off has nothing to expire, and the next runs
// leave its log closed until the cut-off passes that message; then it
// expires on time, as does one whose every message had gone.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FileStore } from '../../../server/files/file-store'
import { silentLogger } from '../../../server/logger'
import { RetentionService } from '../../../server/services/retention.service'
import { openFileStore } from '../../../server/store'
import type { Store } from '../../../server/store/types'

const DAY = 24 * 3600 * 1000
const T0 = Date.parse('2030-01-01T00:00:00Z')
const sender = randomUUID()
let now = T0
let dir: string
let store: Store
let retention: RetentionService
/** Conversations the job opened (asked to expire), in order. */
let opened: string[]

async function conversation(title: string): Promise<string> {
  const id = randomUUID()
  const at = new Date(now).toISOString()
  await store.conversations.create({ id, kind: 'group', title, createdAt: at, createdBy: sender, directKey: null, description: '', avatar: null, joinCode: null }, [])
  return id
}

const say = (id: string, text: string) => store.messages.append(id, { clientId: randomUUID(), senderId: sender, text })
const texts = async (id: string) => (await store.messages.page(id, { after: 0, limit: 50 })).messages.map((m) => m.text)

beforeEach(async () => {
  now = T0
  dir = await mkdtemp(join(tmpdir(), 'retention-skip-'))
  store = await openFileStore(dir, { now: () => now })
  retention = new RetentionService(store, await FileStore.open(join(dir, 'files'), store.files, silentLogger()), () => now, silentLogger())
  opened = []
  const expire = store.messages.expire.bind(store.messages)
  store.messages.expire = (id, before) => {
    opened.push(id)
    return expire(id, before)
  }
  await store.admin.updateSettings({ retentionDays: 7 })
})
afterEach(async () => {
  await retention.stop()
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

it('opens a conversation again only once its oldest kept message is past the cut-off, and then expires it on time', async () => {
  const busy = await conversation('busy')
  const quiet = await conversation('quiet')
  await say(busy, 'day 0')
  await say(quiet, 'quiet day 0')
  now = T0 + 3 * DAY
  await say(busy, 'day 3')

  await retention.run()
  expect(opened.sort()).toEqual([busy, quiet].sort())

  // Hourly runs while nothing is old enough: no log is opened.
  opened = []
  for (let hour = 1; hour <= 24; hour++) {
    now = T0 + 3 * DAY + hour * 3600_000
    await retention.run()
  }
  expect(opened).toEqual([])

  // Past 7 days from day 0: both are opened, and day 0 goes, day 3 stays.
  now = T0 + 7 * DAY + 60_000
  await retention.run()
  expect(opened.sort()).toEqual([busy, quiet].sort())
  expect(await texts(busy)).toEqual(['day 3'])
  expect(await texts(quiet)).toEqual([])

  // The emptied conversation is left alone until a new message could be old enough.
  opened = []
  await say(quiet, 'quiet day 7')
  now = T0 + 10 * DAY + 60_000
  await retention.run()
  expect(opened).toEqual([busy])
  expect(await texts(busy)).toEqual([])
  now = T0 + 14 * DAY + 120_000
  await retention.run()
  expect(await texts(quiet)).toEqual([])
})

it('a shorter retention setting applies at once, whatever the last run learnt', async () => {
  const id = await conversation('c')
  await say(id, 'day 0')
  now = T0 + 2 * DAY
  await retention.run()
  expect(await texts(id)).toEqual(['day 0'])
  await store.admin.updateSettings({ retentionDays: 1 })
  await retention.run()
  expect(await texts(id)).toEqual([])
})
