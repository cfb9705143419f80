// The upgrade path between format versions: which steps run, in which order,
// and the refusals (a newer format; a list with a gap; a format too old to upgrade).
import { describe, expect, it } from 'vitest'
import { FormatTooNewError, upgradePath, type UpgradeStep } from '../../../src/node/format-version'

const step = (from: number): UpgradeStep<null> => ({ from, name: `${from} to ${from + 1}`, run: () => Promise.resolve() })
const tooNew = (found: number, current: number): string => `found ${found}, reads ${current}`

describe('upgradePath', () => {
  it('answers the steps from the found format to the current one, in order', () => {
    const steps = [step(1), step(2), step(3)]
    expect(upgradePath(1, 4, steps, tooNew).map((s) => s.from)).toEqual([1, 2, 3])
    expect(upgradePath(3, 4, steps, tooNew).map((s) => s.from)).toEqual([3])
    expect(upgradePath(4, 4, steps, tooNew)).toEqual([])
    expect(upgradePath(1, 1, [], tooNew)).toEqual([])
  })

  it('refuses a newer format with the caller\'s message and both versions', () => {
    const err = (() => {
      try {
        return upgradePath(6, 4, [step(1), step(2), step(3)], tooNew)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(FormatTooNewError)
    expect(err).toMatchObject({ found: 6, supported: 4, message: 'found 6, reads 4' })
  })

  it('stops on a list with a gap or a repeat, and on a format older than its first step', () => {
    expect(() => upgradePath(1, 4, [step(1), step(3), step(3)], tooNew)).toThrow(/"3 to 4" is out of order: expected it to start from format 2/)
    expect(() => upgradePath(1, 3, [step(2)], tooNew)).toThrow(/format 1 is older than the oldest this build can upgrade \(2\)/)
    expect(() => upgradePath(Number.NaN, 3, [], tooNew)).toThrow(/not a version number/)
  })
})
