// The browser tab's title with the unread count in front, as web mail and
// chat apps show it, so a tab in the background says there is something new.

const TITLE = 'LAN Messenger'

/** "(3) LAN Messenger"; plain at 0. */
export function tabTitle(unread: number): string {
  return unread > 0 ? `(${unread}) ${TITLE}` : TITLE
}

/** Every signed-in account's unread messages (muted conversations are already left out by the core). */
export function unreadSum(unread: Record<string, number>): number {
  return Object.values(unread).reduce((a, b) => a + b, 0)
}
