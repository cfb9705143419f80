// The tray our code drives, with Electron's Tray and Menu replaced by stand-ins.
import { expect, test, vi } from 'vitest'
import { hostingStatusSource, type HostingStatus } from '../../../src/main/electron/tray-menu'

const made: FakeTray[] = []
class FakeTray {
  image: unknown
  tooltip = ''
  menu: { label?: string }[] = []
  constructor(image: unknown) {
    this.image = image
    made.push(this)
  }
  on(): void {}
  setImage(image: unknown): void {
    this.image = image
  }
  setToolTip(text: string): void {
    this.tooltip = text
  }
  setContextMenu(menu: { label?: string }[]): void {
    this.menu = menu
  }
  destroy(): void {}
}

vi.mock('electron', () => ({ Tray: FakeTray, Menu: { buildFromTemplate: (t: unknown) => t } }))

test('unread count in tooltip, menu and icon; hosting status appears once a source is wired, and follows it', async () => {
  const { AppTray } = await import('../../../src/main/electron/tray')
  const tray = new AppTray({ icon: 'plain' as never, unreadIcon: 'dot' as never, open: () => undefined, quit: () => undefined })
  const fake = made[0]!
  const labels = () => fake.menu.map((i) => i.label).filter(Boolean)
  expect(labels()).toEqual(['Open LAN Messenger', 'Quit LAN Messenger'])

  tray.setUnread(4)
  expect([fake.image, fake.tooltip, labels()[0]]).toEqual(['dot', 'LAN Messenger: 4 unread messages', 'Open LAN Messenger (4 unread)'])
  tray.setUnread(0)
  expect(fake.image).toBe('plain')

  let status: HostingStatus = 'starting'
  const listeners = new Set<() => void>()
  let unsubscribed = 0
  tray.setHosting({ status: () => status, onChange: (l) => (listeners.add(l), () => void unsubscribed++) })
  expect(labels()).toContain('Hosting: starting…')
  status = 'on'
  for (const l of listeners) l()
  expect(labels()).toContain('Hosting: on')
  tray.setHosting(null)
  expect(unsubscribed).toBe(1)
  expect(labels()).toEqual(['Open LAN Messenger', 'Quit LAN Messenger'])
})

test('the hosting controller seen by the tray: running is on, starting and stopping are starting, else off; changes come from hosting events only', () => {
  let state = 'stopped'
  let listener: ((batch: ReadonlyArray<{ type: string }>) => void) | null = null
  const source = hostingStatusSource({ status: () => ({ state }) }, (l) => {
    listener = l
    return () => (listener = null)
  })
  const seen: string[] = []
  const stop = source.onChange(() => seen.push(source.status()))
  expect(source.status()).toBe('off')
  state = 'starting'
  listener!([{ type: 'hosting' }])
  state = 'running'
  listener!([{ type: 'messages' }, { type: 'hosting' }])
  listener!([{ type: 'messages' }])
  state = 'stopping'
  listener!([{ type: 'hosting' }])
  state = 'failed'
  listener!([{ type: 'hosting' }])
  expect(seen).toEqual(['starting', 'on', 'starting', 'off'])
  stop()
  expect(listener).toBeNull()
})
