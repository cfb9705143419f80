// Format versions of what is kept on disk (the server's data directory, the
// app's outbox): an ordered list of upgrade steps, one per version, and the
// refusal of a format newer than this build reads. Shared by server and client.

/** Turns data of format `from` into format `from + 1`. */
export interface UpgradeStep<C> {
  from: number
  /** What the step does, for the log. */
  name: string
  run(context: C): Promise<void>
}

/** Data written by a newer build: this one must not read or change it. */
export class FormatTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
    message: string
  ) {
    super(message)
    this.name = 'FormatTooNewError'
  }
}

/**
 * The steps that take format `found` to `current`, in order. Throws
 * FormatTooNewError for a newer format; an error for a list with a gap, a
 * repeat or a step past `current` (a mistake in the list stops the start).
 */
export function upgradePath<S extends UpgradeStep<never>>(
  found: number,
  current: number,
  steps: readonly S[],
  tooNew: (found: number, current: number) => string
): S[] {
  if (!Number.isInteger(found) || found < 0) throw new Error(`format version ${String(found)} is not a version number`)
  if (found > current) throw new FormatTooNewError(found, current, tooNew(found, current))
  const first = current - steps.length
  steps.forEach((step, i) => {
    if (step.from !== first + i) throw new Error(`upgrade step "${step.name}" is out of order: expected it to start from format ${first + i}`)
  })
  if (found < first) throw new Error(`format ${found} is older than the oldest this build can upgrade (${first})`)
  return steps.slice(found - first)
}
