// Contact invitations outside the Contacts dialog (issue 26 item 6): a waiting
// invitation shows as a count on the sidebar's Contacts button and as a notice
// in the window; a declined one is told to its sender, quietly.
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type User } from './fixtures'

const contactsButton = (user: User) => user.page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: /^Contacts and invitations/ })
const notices = (user: User) => user.page.getByRole('status', { name: 'Notices' })

test('Bob sees a waiting invitation without opening Contacts, declines it, and Alice is told', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  await expect(contactsButton(bob)).toHaveAccessibleName('Contacts and invitations')

  // Alice invites Bob from her Contacts dialog.
  await contactsButton(alice).click()
  const aliceContacts = alice.page.getByRole('dialog', { name: 'Contacts' })
  await aliceContacts.getByRole('button', { name: 'Invite someone…' }).click()
  await aliceContacts.getByLabel('Invite someone to your contacts').fill('bob')
  await aliceContacts.getByRole('button', { name: 'Invite Bob' }).click()
  await expect(aliceContacts.getByRole('list', { name: 'Your invitations' }).getByRole('listitem')).toContainText('waiting for an answer')
  await aliceContacts.getByRole('button', { name: 'Close' }).click()

  // Bob: a count on the Contacts button and a notice, with no dialog opened.
  await expect(contactsButton(bob)).toHaveAccessibleName('Contacts and invitations, 1 invitation waiting')
  await expect(contactsButton(bob)).toContainText('1')
  await expect(notices(bob)).toContainText('Alice invited you to their contacts.')
  // The count and the notice read well in both themes (the window follows the system's by default).
  for (const colorScheme of ['light', 'dark'] as const) {
    await bob.page.emulateMedia({ colorScheme })
    const { violations, passes } = await new AxeBuilder({ page: bob.page }).include('.notices').include('.contacts-button').analyze()
    expect(passes.map((p) => p.id)).toContain('color-contrast')
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${colorScheme}: ${v.id}`)).toEqual([])
  }

  // The count is what waits, not a one-off event: it is there again after a reload (and no notice is made again).
  await bob.page.reload()
  await expect(contactsButton(bob)).toHaveAccessibleName('Contacts and invitations, 1 invitation waiting')
  await expect(notices(bob)).toHaveText('')

  // Bob opens it from the sidebar and declines.
  await contactsButton(bob).click()
  const bobContacts = bob.page.getByRole('dialog', { name: 'Contacts' })
  await bobContacts.getByRole('button', { name: 'Decline Alice' }).click()
  await expect(bobContacts.getByRole('button', { name: 'Decline Alice' })).toBeHidden()
  await expect(contactsButton(bob)).toHaveAccessibleName('Contacts and invitations')

  // Alice: a quiet notice, and her invitation marked declined until she dismisses it.
  await expect(notices(alice)).toContainText('Bob declined your contact invitation.')
  await contactsButton(alice).click()
  await expect(notices(alice)).toHaveText('')
  const declined = aliceContacts.getByRole('list', { name: 'Your invitations' }).getByRole('listitem')
  await expect(declined).toHaveCount(1)
  await expect(declined).toContainText('Bob')
  await expect(declined).toContainText('Declined')
  await declined.getByRole('button', { name: 'Dismiss declined invitation to Bob' }).click()
  await expect(aliceContacts.getByRole('list', { name: 'Your invitations' })).toBeHidden()
})

test('a notice of an invitation leads to it, and goes once it is answered', async ({ messenger }) => {
  const alice = await messenger.user('Alice')
  const bob = await messenger.user('Bob')
  const bobSession = await bob.client.call('session.get')
  if (bobSession.status !== 'signed_in') throw new Error('Bob is signed in')
  await alice.client.call('invitations.send', { userId: bobSession.me.id })
  await expect(notices(bob)).toContainText('Alice invited you to their contacts.')
  await notices(bob).getByRole('button', { name: 'Show' }).click()
  const bobContacts = bob.page.getByRole('dialog', { name: 'Contacts' })
  await expect(bobContacts.getByRole('button', { name: 'Accept Alice' })).toBeVisible()
  await expect(notices(bob)).toHaveText('')
  await bobContacts.getByRole('button', { name: 'Accept Alice' }).click()
  await expect(bobContacts.getByRole('list', { name: 'Your contacts' })).toContainText('Alice')
  await expect(contactsButton(bob)).toHaveAccessibleName('Contacts and invitations')
})
