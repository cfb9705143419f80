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

/** One queue per key: tasks under the same key run one after another; other keys run meanwhile. */
export class OneAtATimePerKey {
  private readonly queues = new Map<string, OneAtATime>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(key)
    if (!queue) this.queues.set(key, (queue = new OneAtATime()))
    const result = queue.run(task)
    const settled = (): void => {
      if (this.queues.get(key) === queue && queue.pending === 0) this.queues.delete(key)
    }
    result.then(settled, settled)
    return result
  }

  /** Settles once every task given so far under `key` has; null when none is under way (no promise to make). */
  pendingOf(key: string): Promise<void> | null {
    return this.queues.get(key)?.idle() ?? null
  }

  /** Resolves once every task given so far, under every key, has settled. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()].map((q) => q.idle()))
  }
}
