// A client core in a process of its own, so a test can kill it (see
// src/main/core/crash-point.ts). One step per run, given as JSON in argv[2];
// the answer is the last line of stdout, as JSON.
//   login:  signs in and closes.
//   send:   starts (signed in from its data directory), waits until synced, sends `text`.
//           With MESSENGER_CRASH_AT set, the core kills the process on the way.
//   report: starts, waits until the outbox is empty and synced, answers the cached messages.
import { pageAll, startClient, waitSynced } from '../../helpers/client'
import { until } from './until'

export type Step =
  | { step: 'login'; userDataDir: string; serverUrl: string; username: string; password: string }
  | { step: 'send'; userDataDir: string; conversationId: string; text: string }
  | { step: 'report'; userDataDir: string; conversationId: string }

async function main(): Promise<unknown> {
  const step = JSON.parse(process.argv[2] ?? '{}') as Step
  const client = await startClient(step.userDataDir)
  try {
    if (step.step === 'login') {
      const since = client.mark()
      await client.call('session.login', { serverUrl: step.serverUrl, username: step.username, password: step.password })
      await waitSynced(client, since)
      return { ok: true }
    }
    await waitSynced(client)
    if (step.step === 'send') {
      await client.call('messages.send', { conversationId: step.conversationId, text: step.text })
      // Without a crash point the message is delivered before closing.
      await client.waitFor('outbox', (o) => o.removed.length > 0, 30_000)
      return { ok: true, crashed: false }
    }
    await until(
      client,
      async () => {
        const c = await client.call('connection.get')
        return c.queued === 0 && c.status === 'online' && !c.syncing
      },
      'the outbox is sent and the cache caught up'
    )
    const messages = await pageAll(client, step.conversationId)
    return { ok: true, messages }

  } finally {
    await client.close()
  }
}

main().then(
  (answer) => {
    process.stdout.write(`\n${JSON.stringify(answer)}\n`)
    process.exit(0)
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  }
)
