// Waiting on a client core's own signals: a condition is checked again after
// every batch of events the core emits, never on a timer.
import type { TestClient } from '../../helpers/client'

export function until(client: TestClient, check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    let checking = false
    let again = false
    const finish = (err?: Error): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      unsubscribe()
      if (err) reject(err)
      else resolve()
    }
    const run = (): void => {
      if (done) return
      if (checking) {
        again = true
        return
      }
      checking = true
      check().then(
        (ok) => {
          checking = false
          if (ok) finish()
          else if (again) {
            again = false
            run()
          }
        },
        (err: unknown) => finish(err as Error)
      )
    }
    const timer = setTimeout(() => finish(new Error(`timed out waiting until ${what}`)), timeoutMs)
    const unsubscribe = client.core.subscribe(run)
    run()
  })
}
