// Drafts (issue 20 item 8): a half-written message stays in its conversation
// across switching, a reload and on the writer's other computer; the sidebar
// says "Draft: …" where one waits; sending it clears it everywhere.
import { chooseServer, createGroup, expect, expectOnline, messageRows, openConversation, PASSWORD, sidebarRow, test, type User } from './fixtures'

const composer = (user: User) => user.page.getByRole('textbox', { name: 'Write a message' })
const preview = (user: User, title: string) => sidebarRow(user.page, title).locator('.conversation-preview')

test('Alice’s draft survives switching, a reload and reaches her other computer; sending clears it everywhere', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Planning', ['Bob'])
  await createGroup(alice.page, 'Lunch', ['Bob'])

  // Alice starts a message in Planning, then looks at Lunch.
  await openConversation(alice.page, 'Planning')
  await composer(alice).fill('The budget for Q3 is')
  await openConversation(alice.page, 'Lunch')
  await expect(composer(alice)).toHaveValue('')
  await expect(preview(alice, 'Planning')).toHaveText('Draft: The budget for Q3 is')
  await expect(preview(alice, 'Planning').locator('.conversation-draft')).toBeVisible()

  // Back in Planning: the text is there, and the sidebar row shows the last message again (it is open).
  await openConversation(alice.page, 'Planning')
  await expect(composer(alice)).toHaveValue('The budget for Q3 is')
  await expect(preview(alice, 'Planning')).not.toContainText('Draft:')

  // A reload (the app restarting its window): still there.
  await alice.page.reload()
  await expectOnline(alice.page)
  await expect(preview(alice, 'Planning')).toHaveText('Draft: The budget for Q3 is')
  await openConversation(alice.page, 'Planning')
  await expect(composer(alice)).toHaveValue('The budget for Q3 is')

  // Her other computer, signed in to the same account, gets it from the server.
  const laptop = await messenger.user('Alice on her laptop', { signUp: false })
  await chooseServer(laptop.page, messenger.serverUrl)
  await laptop.page.getByRole('tab', { name: 'Sign in' }).click()
  await laptop.page.getByLabel('Username').fill('alice')
  await laptop.page.getByLabel('Password').fill(PASSWORD)
  await laptop.page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expectOnline(laptop.page)
  await expect(preview(laptop, 'Planning')).toHaveText('Draft: The budget for Q3 is')
  // Typed further there, it comes back to the first computer (where Planning is not open now).
  await openConversation(alice.page, 'Lunch')
  await openConversation(laptop.page, 'Planning')
  await expect(composer(laptop)).toHaveValue('The budget for Q3 is')
  await composer(laptop).fill('The budget for Q3 is 40k')
  await expect(preview(alice, 'Planning')).toHaveText('Draft: The budget for Q3 is 40k')

  // Sent from the laptop: gone on both computers; Bob gets the message and never saw a draft.
  await composer(laptop).press('Enter')
  await expect(messageRows(laptop.page, 'The budget for Q3 is 40k')).toBeVisible()
  await expect(composer(laptop)).toHaveValue('')
  await expect(preview(alice, 'Planning')).not.toContainText('Draft:')
  await expect(preview(alice, 'Planning')).toContainText('The budget for Q3 is 40k')
  await openConversation(alice.page, 'Planning')
  await expect(composer(alice)).toHaveValue('')
  await openConversation(bob.page, 'Planning')
  await expect(messageRows(bob.page, 'The budget for Q3 is 40k')).toBeVisible()
})
