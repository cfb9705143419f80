// How hard the reliability suites push: small in `npm test`, long in
// `npm run test:soak` (RELIABILITY_SOAK=1). Each figure can be set on its own.

export const SOAK = process.env['RELIABILITY_SOAK'] === '1'

/** A count from the environment, else the soak or the quick default. */
export function scale(name: string, quick: number, soak: number): number {
  const raw = process.env[name]
  if (raw !== undefined && raw !== '') {
    const value = Number(raw)
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`)
    return value
  }
  return SOAK ? soak : quick
}

/** A random seed, logged so a failing run can be repeated with RELIABILITY_SEED. */
export function seed(): number {
  const raw = process.env['RELIABILITY_SEED']
  const value = raw ? Number(raw) : Math.floor(Math.random() * 2 ** 31)
  process.stdout.write(`reliability seed ${value} (repeat with RELIABILITY_SEED=${value})\n`)
  return value
}

/** A small deterministic PRNG, so fault schedules repeat from a seed. */
export { rng as random } from '../../bench/search-data'
