// Interleaved measurement rounds, shared by the fan-out (fanout-run.ts) and
// several-nodes (cluster-run.ts) benchmarks: every contender is measured
// under the same load in windows that take turns, so background noise hits
// all alike.
import type { LoadPhase } from './pacer'
import type { Child } from './rpc'
import { envNumber, sleep } from './util'

export interface RoundsConfig {
  /** Load generator processes per contender. */
  loadgens: number
  /** Measurement windows per contender and load; the contenders alternate window by window. */
  rounds: number
  /** Load before each window, not measured. */
  warmupMs: number
  /** Measured time per contender and load, split over the rounds. */
  durationMs: number
  textBytes: number
}

export function roundsConfig(): RoundsConfig {
  return {
    loadgens: envNumber('BENCH_LOADGENS', 2),
    rounds: Math.max(1, envNumber('BENCH_ROUNDS', 4)),
    warmupMs: envNumber('BENCH_WARMUP_S', 3) * 1000,
    durationMs: envNumber('BENCH_DURATION_S', 24) * 1000,
    textBytes: envNumber('BENCH_TEXT_BYTES', 64)
  }
}

/** What a window of either benchmark counts. */
export interface WindowCounts {
  seconds: number
  deliveries: number
  acks: number
  errors: number
  /** Sends a fixed-rate phase skipped (too many in flight). */
  skipped: number
  loadgenCpuUs: number
  /** Busy cores of the whole machine, NaN if unknown. */
  machineCores: number
}

/**
 * One window: the load generators start `phase`, it warms up, `mark` is taken
 * before and after `windowMs` (`last` is true the second time), then they halt.
 */
export async function measureWindow<M>(
  loadgens: Child[],
  phase: LoadPhase,
  warmupMs: number,
  windowMs: number,
  mark: (last: boolean) => Promise<M>
): Promise<{ before: M; after: M }> {
  await Promise.all(loadgens.map((l) => l.call('start', phase)))
  await sleep(warmupMs)
  const before = await mark(false)
  await sleep(windowMs)
  const after = await mark(true)
  await Promise.all(loadgens.map((l) => l.call('halt')))
  return { before, after }
}

export interface Contender<K, W> {
  readonly kind: K
  measure(phase: LoadPhase, windowMs: number): Promise<W>
}

/**
 * Every contender's windows under `phase`, by kind; round i starts with the
 * i-th contender (with two: a b, b a, a b, …). `each` sees a window as it ends.
 */
export async function interleave<K, W>(
  contenders: Contender<K, W>[],
  phase: LoadPhase,
  config: Pick<RoundsConfig, 'rounds' | 'durationMs'>,
  each: (kind: K, window: W, round: number) => void
): Promise<Map<K, W[]>> {
  const windowMs = config.durationMs / config.rounds
  const windows = new Map<K, W[]>(contenders.map((c) => [c.kind, []]))
  for (let i = 0; i < config.rounds; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(i + k) % contenders.length]!
      const window = await contender.measure(phase, windowMs)
      windows.get(contender.kind)!.push(window)
      each(contender.kind, window, i)
    }
  }
  return windows
}

/** Starts a rig per kind, one after the other, runs `use` on them, then stops them all, last first, whatever happens. */
export async function withRigs<K, R extends { stop(): Promise<void> }, T>(
  kinds: K[],
  start: (kind: K) => Promise<R>,
  use: (rigs: R[]) => Promise<T>
): Promise<T> {
  const rigs: R[] = []
  try {
    for (const kind of kinds) rigs.push(await start(kind))
    return await use(rigs)
  } finally {
    for (const rig of rigs.reverse()) await rig.stop()
  }
}
