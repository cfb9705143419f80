/**
 * Runs tasks one after another in the order given: each starts once the one
 * before has settled, whether it succeeded or failed. Each caller gets its own
 * task's outcome.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve()
  /** Tasks given and not yet settled. */
  pending = 0

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++
    const result = this.tail.then(task, task).finally(() => this.pending--)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once every task given so far has settled. */
  async idle(): Promise<void> {
    await this.tail
  }
}
