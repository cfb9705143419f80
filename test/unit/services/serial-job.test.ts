import { describe, expect, it } from 'vitest'
import { SerialJob } from '../../../src/node/serial-job'

/** A task that waits until let go, counting its runs. */
function gatedTask(): { task: () => Promise<void>; runs: () => number; release: () => void } {
  let runs = 0
  let open: () => void = () => undefined
  return {
    task: () => {
      runs++
      return new Promise<void>((resolve) => (open = resolve))
    },
    runs: () => runs,
    release: () => open()
  }
}

describe('SerialJob', () => {
  it('never runs twice at once; runs asked for during a run become one more run after it', async () => {
    const gate = gatedTask()
    const job = new SerialJob(gate.task, () => undefined)
    const first = job.run()
    void job.run()
    void job.run()
    expect(gate.runs()).toBe(1)
    gate.release()
    await new Promise((resolve) => setImmediate(resolve))
    expect(gate.runs()).toBe(2)
    gate.release()
    await first
    expect(gate.runs()).toBe(2)
  })

  it('a failing task is reported, never thrown, and the next run still happens', async () => {
    const errors: unknown[] = []
    let calls = 0
    const job = new SerialJob(() => {
      calls++
      return Promise.reject(new Error('disk'))
    }, (err) => errors.push(err))
    await expect(job.run()).resolves.toBeUndefined()
    await job.run()
    expect(calls).toBe(2)
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk', 'disk'])
  })

  it('runs on its timer; stop waits for the run in progress, and nothing runs after it', async () => {
    const gate = gatedTask()
    const job = new SerialJob(gate.task, () => undefined)
    job.every(5)
    await expect.poll(() => gate.runs()).toBe(1)
    let stopped = false
    const stopping = job.stop().then(() => (stopped = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stopped).toBe(false)
    expect(job.stopped).toBe(true)
    gate.release()
    await stopping
    await new Promise((resolve) => setTimeout(resolve, 20))
    await job.run()
    expect(gate.runs()).toBe(1)
  })
})
