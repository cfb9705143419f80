// The dedupe index's memory: each (sender, clientId) key kept as a 52-bit
// fingerprint beside its seq in typed arrays (12 bytes a slot, at most half
// full), not as a Map of strings (about 150 bytes an entry), so a server can
// dedupe every message a conversation ever had without holding its keys.
// Two keys can share a fingerprint (about n / 2^52 odds per lookup): the
// caller checks the message at the seq returned before trusting it.

const EMPTY = 0
const MIN_CAPACITY = 256

/** Two 32-bit mixes of the key (FNV-1a and a murmur-style one), 20 + 32 bits. */
function fingerprint(key: string): number {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  const fp = (a >>> 12) * 2 ** 32 + (b >>> 0)
  return fp === EMPTY ? 1 : fp
}

export class KeyTable {
  private fps: Float64Array
  private seqs: Uint32Array
  private count = 0

  constructor(capacity = MIN_CAPACITY) {
    this.fps = new Float64Array(capacity)
    this.seqs = new Uint32Array(capacity)
  }

  get size(): number {
    return this.count
  }

  /** Bytes the table holds (for tests and diagnostics). */
  get bytes(): number {
    return this.fps.byteLength + this.seqs.byteLength
  }

  /** The seq of the newest key with this key's fingerprint, if any. */
  get(key: string): number | undefined {
    const fp = fingerprint(key)
    const mask = this.fps.length - 1
    for (let slot = fp % this.fps.length; ; slot = (slot + 1) & mask) {
      const at = this.fps[slot]!
      if (at === EMPTY) return undefined
      if (at === fp) return this.seqs[slot]
    }
  }

  set(key: string, seq: number): void {
    if ((this.count + 1) * 2 > this.fps.length) this.resize(this.fps.length * 2)
    this.place(fingerprint(key), seq)
  }

  /** A table of the entries whose seq passes `keep` (retention drops the expired ones). */
  filter(keep: (seq: number) => boolean): KeyTable {
    let kept = 0
    for (let slot = 0; slot < this.fps.length; slot++) if (this.fps[slot] !== EMPTY && keep(this.seqs[slot]!)) kept++
    let capacity = MIN_CAPACITY
    while (kept * 2 > capacity) capacity *= 2
    const next = new KeyTable(capacity)
    for (let slot = 0; slot < this.fps.length; slot++) {
      if (this.fps[slot] !== EMPTY && keep(this.seqs[slot]!)) next.place(this.fps[slot]!, this.seqs[slot]!)
    }
    return next
  }

  private place(fp: number, seq: number): void {
    const mask = this.fps.length - 1
    for (let slot = fp % this.fps.length; ; slot = (slot + 1) & mask) {
      const at = this.fps[slot]!
      if (at === EMPTY) this.count++
      if (at === EMPTY || at === fp) {
        this.fps[slot] = fp
        this.seqs[slot] = seq
        return
      }
    }
  }

  private resize(capacity: number): void {
    const { fps, seqs } = this
    this.fps = new Float64Array(capacity)
    this.seqs = new Uint32Array(capacity)
    this.count = 0
    for (let slot = 0; slot < fps.length; slot++) if (fps[slot] !== EMPTY) this.place(fps[slot]!, seqs[slot]!)
  }
}
