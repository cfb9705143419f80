// Issue 21 item 4: send later, as a person uses it. Alice schedules a message
// for tomorrow at 9:00 from the composer's clock, sees the conversation's
// notice and the Scheduled list, edits the text there and presses Send now:
// Bob receives the edited text once, and Alice's list is empty.
import { createGroup, expect, messageLog, messageRows, openConversation, test } from './fixtures'

test('Alice schedules for tomorrow at 9:00, edits it, sends it now; Bob gets the edited text once', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await createGroup(alice.page, 'Standup', ['Bob'])
  await openConversation(bob.page, 'Standup')

  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.fill('Status: all green')
  await alice.page.getByRole('button', { name: 'Send later' }).click()
  const menu = alice.page.getByRole('menu', { name: 'Send later' })
  await menu.getByRole('menuitem', { name: 'Tomorrow at 9:00' }).click()
  await expect(menu).toBeHidden()
  await expect(box).toHaveValue('')
  await expect(messageRows(alice.page, 'Status: all green')).toHaveCount(0)

  // The notice in the conversation opens the list.
  await alice.page.getByRole('button', { name: '1 message scheduled' }).click()
  const list = alice.page.getByRole('dialog', { name: 'Scheduled messages' })
  const item = list.getByRole('listitem', { name: 'Status: all green' })
  await expect(item).toContainText('Standup')
  await expect(item).toContainText(/Sends .*9:00/)

  await item.getByRole('button', { name: 'Edit' }).click()
  await item.getByRole('textbox', { name: 'Message' }).fill('Status: all green, ship it')
  await item.getByRole('button', { name: 'Save' }).click()
  const edited = list.getByRole('listitem', { name: 'Status: all green, ship it' })
  await expect(edited).toBeVisible()

  await edited.getByRole('button', { name: 'Send now' }).click()
  await expect(list.getByText(/Nothing scheduled/)).toBeVisible()
  await expect(alice.page.getByRole('button', { name: 'Scheduled', exact: true })).toBeVisible()

  await expect(messageRows(bob.page, 'Status: all green, ship it')).toHaveCount(1)
  await expect(messageLog(bob.page).getByText('Status: all green', { exact: true })).toHaveCount(0)
  await alice.page.keyboard.press('Escape')
  await expect(messageRows(alice.page, 'Status: all green, ship it')).toHaveCount(1)
  await expect(alice.page.getByRole('button', { name: /message scheduled/ })).toHaveCount(0)
})
