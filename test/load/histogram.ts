// Latency histogram in 0.1 ms buckets up to 60 s: fixed memory however long
// the run, mergeable across processes, exact enough for p50 / p99.

const BUCKETS = 600_000

export type Histogram = number[]

export function newHistogram(): Uint32Array {
  return new Uint32Array(BUCKETS + 1)
}

export function record(h: Uint32Array, ms: number): void {
  const i = Math.max(0, Math.min(BUCKETS, Math.floor(ms * 10)))
  h[i]!++
}

/** Sparse form for IPC: [bucket, count] pairs. */
export function sparse(h: Uint32Array): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < h.length; i++) if (h[i]) out.push([i, h[i]!])
  return out
}

export function merge(into: Uint32Array, pairs: [number, number][]): void {
  for (const [i, n] of pairs) into[i]! += n
}

export function count(h: Uint32Array): number {
  let n = 0
  for (let i = 0; i < h.length; i++) n += h[i]!
  return n
}

/** The q-quantile in ms (NaN when empty). */
export function percentile(h: Uint32Array, q: number): number {
  const total = count(h)
  if (total === 0) return NaN
  const target = Math.ceil(q * total)
  let seen = 0
  for (let i = 0; i < h.length; i++) {
    seen += h[i]!
    if (seen >= target) return i / 10
  }
  return BUCKETS / 10
}
