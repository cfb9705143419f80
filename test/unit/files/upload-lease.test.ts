// LeaseKeeper, with a short term: it renews an upload's lease only after
// bytes came, recording what the write made durable, and stops the write
// once another request took the upload.
import { afterEach, expect, it } from 'vitest'
import { LeaseKeeper } from '../../../server/files/upload-lease'
import type { UploadProgress } from '../../../server/store/types'

const TERM_MS = 30
let keeper: LeaseKeeper | null = null
afterEach(() => keeper?.stop())

/** A write in progress the test moves by hand. */
function fakeWrite(start: number) {
  const state = { written: start, syncs: 0 }
  return {
    state,
    progress: {
      written: () => state.written,
      durable: () => {
        state.syncs++
        return Promise.resolve(state.written)
      }
    }
  }
}

it('renews only after bytes came, recording the durable end each time; silent, it lets the lease lapse', async () => {
  const renewals: UploadProgress[] = []
  const write = fakeWrite(100)
  let clock = 1
  keeper = new LeaseKeeper(
    (progress) => {
      renewals.push(progress)
      return Promise.resolve(true)
    },
    () => expect.unreachable('the lease was kept'),
    100,
    TERM_MS,
    () => clock
  )
  keeper.watch(write.progress)
  write.state.written = 500
  await expect.poll(() => renewals.length).toBe(1)
  expect(renewals[0]).toEqual({ offset: 500, touchedAt: 1 })
  // No byte since: several terms pass and nothing is renewed or synced.
  const syncs = write.state.syncs
  await new Promise((resolve) => setTimeout(resolve, TERM_MS * 3))
  expect(renewals).toHaveLength(1)
  expect(write.state.syncs).toBe(syncs)
  clock = 2
  write.state.written = 900
  await expect.poll(() => renewals.length).toBe(2)
  expect(renewals[1]).toEqual({ offset: 900, touchedAt: 2 })
  await keeper.stop()
  expect(keeper.lost).toBeNull()
})

it('when the upload was taken by another request, says so once and stops renewing', async () => {
  const write = fakeWrite(0)
  const lost: Error[] = []
  let asked = 0
  keeper = new LeaseKeeper(
    () => {
      asked++
      return Promise.resolve(false)
    },
    (err) => lost.push(err),
    0,
    TERM_MS,
    () => 1
  )
  keeper.watch(write.progress)
  write.state.written = 10
  await expect.poll(() => lost.length).toBe(1)
  expect(lost[0]!.message).toMatch(/another request took this upload over/)
  expect(keeper.lost).toBe(lost[0])
  write.state.written = 20
  await new Promise((resolve) => setTimeout(resolve, TERM_MS * 3))
  expect(asked).toBe(1)
  expect(lost).toHaveLength(1)
})
