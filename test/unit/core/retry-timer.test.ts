import { describe, expect, it } from 'vitest'
import { ClientError } from '../../../src/main/core/errors'
import { waitAfter } from '../../../src/main/core/retry-timer'

describe('waitAfter', () => {
  it("waits what a rate_limited answer said, plus a little jitter (at most a tenth and 100 ms, at most 1 s)", () => {
    for (const said of [0, 1_000, 4_200, 60_000]) {
      const waits = Array.from({ length: 50 }, () => waitAfter(new ClientError('rate_limited', 'slow down', 429, said), 2_000))
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(said)
      expect(Math.max(...waits)).toBeLessThanOrEqual(said + Math.min(1_000, 100 + said / 10))
    }
  })

  it('falls back when the error says nothing', () => {
    expect(waitAfter(new ClientError('unreachable', 'cannot reach the server'), 2_000)).toBe(2_000)
    expect(waitAfter(new Error('boom'), 2_000)).toBe(2_000)
  })
})
