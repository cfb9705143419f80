// Recent moves of a member's read or delivered cursor, with their times: what
// answers "read by X at t". Kept as one flat list [seq, epoch ms, seq, epoch
// ms, …], oldest first, because an array per move cost about 70 bytes of heap
// and one of these is pushed for every message sent (a sender has read up to
// it): 10,000 members filling 2 × 64 moves held about 90 MB.

export type Marks = number[]

/** Moves remembered per member and cursor. */
export const MARKS_KEPT = 64

export function pushMark(marks: Marks | undefined, seq: number, at: number): Marks {
  const next = marks ?? []
  next.push(seq, at)
  if (next.length > MARKS_KEPT * 2) next.splice(0, next.length - MARKS_KEPT * 2)
  return next
}

/** When `seq` was passed: the time of the first remembered move at or beyond it. */
export function markTime(marks: Marks | undefined, seq: number): number | null {
  if (!marks) return null
  for (let i = 0; i + 1 < marks.length; i += 2) if (marks[i]! >= seq) return marks[i + 1]!
  return null
}

/** Files written before kept [[seq, at], …]; read either form. */
export function flatMarks(marks: unknown): Marks | undefined {
  if (!Array.isArray(marks)) return undefined
  return marks.flatMap((m: unknown) => (Array.isArray(m) ? (m as number[]) : [m as number]))
}
