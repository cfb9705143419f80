// Sends the outbox in order while connected. Each message carries the
// clientId it was given when written, so a resend after a lost ack (or a
// crash) returns the original instead of making a duplicate. A refusal
// (validation, no longer a member) marks that message failed and the queue
// goes on; a transient error stops the queue until the next try, which a
// rate_limited answer times (its retryAfterMs): the message stays pending.
import { toErrorBody, isTransient } from './errors'
import type { AccountContext } from './context'
import { sendPayloadOf } from './cache/outbox'
import { crashPoint } from './crash-point'
import type { Sync } from './sync'
import { RetryTimer, waitAfter } from './retry-timer'
import { SerialJob } from '../../node/serial-job'

const RETRY_MS = 2_000

export class OutboxSender {
  /** One drain at a time; a kick during one drains once more after it. */
  private readonly job = new SerialJob(
    () => this.drain(),
    (err) => this.ctx.log.error('sending the outbox failed', { err })
  )
  private readonly retry = new RetryTimer(RETRY_MS, () => this.kick())

  constructor(
    private readonly ctx: AccountContext,
    private readonly sync: Sync
  ) {}

  /** Sends what is pending, now (on connect and after every new message). */
  kick(): void {
    void this.job.run()
  }

  close(): void {
    void this.job.stop()
    this.retry.stop()
  }

  private async drain(): Promise<void> {
    const { outbox, realtime, events, log } = this.ctx
    for (let entry = outbox.next(); entry && realtime.connected && !this.job.stopped; entry = outbox.next()) {
      try {
        crashPoint('outbox-written')
        const answer = await realtime.call('message:send', sendPayloadOf(entry))
        // The outbox never sends sendAt, so the answer is the message; anything else is a server's mistake.
        if (!('message' in answer)) throw new Error('the server scheduled a message sent without sendAt')
        const { message } = answer
        // Into the cache, then out of the outbox. After a crash either the
        // outbox still has it (resent; the server returns the original) or the
        // cache cursor has not passed it (fetched again): once either way.
        crashPoint('acked-not-cached')
        await this.sync.onMessage(message)
        crashPoint('cached-not-removed')
        if (await outbox.remove([entry.clientId])) events.emit('outbox', { upserted: [], removed: [entry.clientId] })
      } catch (err) {
        if (isTransient(err)) {
          // Still pending, still first: a rate_limited answer says when the server takes it.
          log.debug('send postponed', { clientId: entry.clientId, err })
          this.retry.schedule(waitAfter(err, RETRY_MS))
          return
        }
        const failed = await outbox.setState(entry.clientId, 'failed', toErrorBody(err))
        if (failed) events.emit('outbox', { upserted: [failed], removed: [] })
      }
    }
  }
}
