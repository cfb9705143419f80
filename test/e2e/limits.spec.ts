// What a person sees of the server's send limits (issue 22): a refused
// one-click action is said in words, not lost in silence.
import { expect, messageRows, send, startDirectChat, test } from './fixtures'

// Two reactions a minute (one sustained, one burst), so the third is refused.
test.use({ serverOptions: { sendLimits: { reactions: { rate: { points: 1, durationMs: 60_000 }, burst: { points: 1, durationMs: 60_000 } } } } })

test('a reaction past the limit is refused with words saying to wait, and nothing else changes', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Lunch at noon?')
  const row = messageRows(alice.page, 'Lunch at noon?')

  const react = async (emoji: string): Promise<void> => {
    // The hover bar's quick reactions (issue 20).
    await row.hover()
    await row.getByRole('button', { name: `React with ${emoji}` }).click()
  }
  await react('👍')
  await react('❤️')
  await expect(row.getByRole('button', { name: /^❤️ 1/ })).toBeVisible()
  await react('😂')
  const problem = alice.page.getByRole('alert', { name: 'Problems' })
  await expect(problem).toContainText('The reaction was not added: Too many tries. Wait a moment and try again.')
  await expect(row.getByRole('button', { name: /^😂 \d/ })).toHaveCount(0)
  await problem.getByRole('button', { name: 'Dismiss' }).click()
  await expect(problem).toBeEmpty()
})
