// Signing up and chatting in real time; what the first-run screen says when
// something is wrong.
import { closedPort } from '../helpers/client'
import {
  chooseServer,
  conversationTitle,
  expect,
  messageRows,
  messageTexts,
  openConversation,
  PASSWORD,
  send,
  sidebarRow,
  startDirectChat,
  test
} from './fixtures'

test('two people sign up and chat both ways in real time', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')

  await startDirectChat(alice.page, bob)
  await send(alice.page, 'Hi Bob, lunch at noon?')

  // Bob did not open anything: the chat arrives in his sidebar, unread.
  await expect(sidebarRow(bob.page, 'Alice')).toHaveAccessibleName('Alice, 1 unread')
  await openConversation(bob.page, 'Alice')
  await expect(messageRows(bob.page, 'Hi Bob, lunch at noon?')).toBeVisible()
  await expect(sidebarRow(bob.page, 'Alice')).toHaveAccessibleName('Alice')

  await send(bob.page, 'Sure, see you there')
  await expect(messageRows(alice.page, 'Sure, see you there')).toBeVisible()
  await send(alice.page, 'Great')
  await expect(messageRows(bob.page, 'Great')).toBeVisible()

  const conversation = ['Hi Bob, lunch at noon?', 'Sure, see you there', 'Great']
  await expect(messageTexts(alice.page)).toHaveText(conversation)
  await expect(messageTexts(bob.page)).toHaveText(conversation)
  // Who wrote what: Bob's messages are his own on his side, Alice's on hers.
  await expect(alice.page.locator('[data-seq] .message.mine .message-text')).toHaveText(['Hi Bob, lunch at noon?', 'Great'])
  await expect(bob.page.locator('[data-seq] .message.mine .message-text')).toHaveText(['Sure, see you there'])
})

test('the first-run screen says what went wrong: wrong password, no server, a taken username', async ({ messenger }) => {
  await messenger.user('Alice')
  const carol = await messenger.user('Carol', { signUp: false })
  const { page } = carol
  const alert = page.getByRole('alert')

  // A server nobody runs.
  const port = await closedPort()
  await chooseServer(page, `127.0.0.1:${port}`)
  await expect(alert).toContainText('Cannot reach the server')
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible()

  // The right server, someone else's username with a wrong password.
  await chooseServer(page, messenger.serverUrl)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByLabel('Username').fill('alice')
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(alert).toHaveText('Wrong username or password.')

  // Creating an account with a name that exists.
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill('alice')
  await page.getByLabel('Your name (as others see it)').fill('Another Alice')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(alert).toContainText('That username is taken')

  // Nothing of that signed anyone in: still the first-run screen.
  await expect(page.getByRole('button', { name: 'New chat' })).toHaveCount(0)
  await expect(conversationTitle(page)).toHaveCount(0)
})
