// User groups (@design, issue 20) in the window: the admin makes one in the
// admin dialog with members picked by search, a manager changes its members
// from their profile, everyone's window follows each change live, and a
// message that mentions the group (picked in the composer's @ menu) gives
// its members the mention badge.
import type { Page } from '@playwright/test'
import { createGroup, expect, messageRows, openConversation, sidebarRow, test, type User } from './fixtures'

/** As the admin: Administration → User groups → New, with these members; answers the group's row. */
async function makeGroup(page: Page, handle: string, name: string, members: string[]) {
  await page.getByRole('button', { name: 'Server administration' }).click()
  const dialog = page.getByRole('dialog', { name: 'Server administration' })
  await dialog.getByRole('tab', { name: 'User groups' }).click()
  await dialog.getByRole('button', { name: 'New user group' }).click()
  const form = dialog.getByRole('form', { name: 'New user group' })
  await form.getByLabel('Handle (what people type after @)').fill(handle)
  await form.getByLabel('Name').fill(name)
  const people = form.getByRole('group', { name: 'Members' })
  for (const member of members) {
    await people.getByLabel('Add a member').fill(member.toLowerCase())
    await people.getByRole('button', { name: `Add ${member}` }).click()
    await expect(people.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: member })).toBeVisible()
  }
  await form.getByRole('button', { name: 'Create group' }).click()
  await expect(form).toBeHidden()
  const row = dialog.getByRole('listitem', { name: `@${handle}` })
  await expect(row).toContainText(`${members.length} members`)
  return { dialog, row }
}

const profileButton = (user: User) => user.page.getByRole('button', { name: 'Your profile and settings' })

test('the admin makes @design with Bob and Carol; Bob, made its manager, changes its members from his profile', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await messenger.user('Carol')
  const { dialog, row } = await makeGroup(alice.page, 'design', 'Design team', ['Bob', 'Carol'])
  await expect(row).toContainText('Design team')

  // Not a manager yet: Bob's profile has no way to the groups.
  await profileButton(bob).click()
  const profile = bob.page.getByRole('dialog', { name: 'Profile' })
  await expect(profile.getByRole('button', { name: 'User groups' })).toHaveCount(0)

  await row.getByRole('button', { name: 'Edit' }).click()
  const edit = row.getByRole('form', { name: 'Edit @design' })
  const managers = edit.getByRole('group', { name: 'Managers' })
  await managers.getByLabel('Add a manager').fill('bob')
  await managers.getByRole('button', { name: 'Add Bob' }).click()
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(edit).toBeHidden()

  // Bob's window hears it: the button comes, and his dialog lists the group without admin powers.
  await profile.getByRole('button', { name: 'User groups' }).click()
  const mine = bob.page.getByRole('dialog', { name: 'User groups' })
  const bobsRow = mine.getByRole('listitem', { name: '@design' })
  await expect(bobsRow).toContainText('2 members')
  await expect(bobsRow.getByRole('button', { name: 'Delete' })).toHaveCount(0)
  await bobsRow.getByRole('button', { name: 'Edit' }).click()
  const bobsEdit = bobsRow.getByRole('form', { name: 'Edit @design' })
  await expect(bobsEdit.getByLabel('Handle (what people type after @)')).toBeDisabled()
  await expect(bobsEdit.getByRole('group', { name: 'Managers' })).toHaveCount(0)
  await bobsEdit.getByRole('button', { name: 'Remove Carol' }).click()
  await bobsEdit.getByRole('button', { name: 'Save' }).click()
  await expect(bobsRow).toContainText('1 member')

  // The admin's dialog follows; deleting asks first.
  await expect(row).toContainText('1 member')
  await row.getByRole('button', { name: 'Delete' }).click()
  const ask = alice.page.getByRole('alertdialog', { name: 'Delete @design?' })
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(row).toBeVisible()
  await row.getByRole('button', { name: 'Delete' }).click()
  await ask.getByRole('button', { name: 'Delete' }).click()
  await expect(dialog.getByText('No user groups yet.')).toBeVisible()
  await expect(mine.getByText('No user groups yet.')).toBeVisible()
})

test('Alice mentions @design in a group; Bob and Carol get the mention badge and see it as theirs, Dave does not', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const carol = await messenger.user('Carol')
  const dave = await messenger.user('Dave')
  const { dialog } = await makeGroup(alice.page, 'design', 'Design team', ['Bob', 'Carol'])
  await dialog.getByRole('button', { name: 'Close', exact: true }).click()
  await createGroup(alice.page, 'Launch', ['Bob', 'Carol', 'Dave'])

  // The composer offers the group (from the store's user groups) by its handle.
  const box = alice.page.getByRole('textbox', { name: 'Write a message' })
  await box.click()
  await box.pressSequentially('@desi')
  await alice.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: /@design/ }).click()
  await expect(box).toHaveValue('@design ')
  await box.pressSequentially('please review the mockups')
  await box.press('Enter')
  await expect(box).toHaveValue('')

  for (const [user, theirs] of [[bob, true], [carol, true], [dave, false]] as const) {
    const row = sidebarRow(user.page, 'Launch')
    await expect(row).toBeVisible()
    await expect(row.getByTestId('mention-badge')).toHaveCount(theirs ? 1 : 0)
    if (theirs) await expect(row.getByTestId('mention-badge')).toContainText('@1')
    await openConversation(user.page, 'Launch')
    const chip = messageRows(user.page, 'please review the mockups').locator('.mention')
    await expect(chip).toHaveText('@design')
    await expect(chip).toHaveClass(theirs ? /mention--me/ : /^(?!.*mention--me)/)
  }
  // The chip in the message says who is in the group.
  await messageRows(dave.page, 'please review the mockups').getByRole('button', { name: '@design' }).click()
  await expect(dave.page.getByRole('list', { name: /@design/ }).getByRole('listitem')).toHaveText(['Bob', 'Carol'])
})
