// An account's events go to the window only while it is the shown one; a
// background account's only say that its unread total may have changed and
// which messages came.
import { describe, expect, it } from 'vitest'
import { AccountEvents } from '../../../src/main/core/account-events'
import { EventBatcher } from '../../../src/main/core/event-batcher'
import type { MessengerEvent } from '../../../src/shared/ipc'
import { CONV_A, conv, msg } from '../../helpers/fixtures'

function setup() {
  const window = new EventBatcher()
  const batches: MessengerEvent[][] = []
  window.subscribe((b) => batches.push(b))
  let shown = true
  const unreadChecks: number[] = []
  const background: string[] = []
  const events = new AccountEvents(window, {
    shown: () => shown,
    unreadMayChange: () => unreadChecks.push(1),
    backgroundMessages: (e) => background.push(...e.upserted.map((m) => m.text))
  })
  return { window, batches, events, unreadChecks, background, hide: () => (shown = false) }
}

describe('AccountEvents', () => {
  it('passes everything on while shown, and still counts unread changes', () => {
    const t = setup()
    t.events.emit('conversations', { upserted: [conv(CONV_A)], removed: [] })
    t.events.emit('messages', { conversationId: CONV_A, upserted: [msg(1, 'hello')] })
    t.window.flush()
    expect(t.batches.flat().map((e) => e.type)).toEqual(['conversations', 'messages'])
    expect(t.unreadChecks).toHaveLength(1)
    expect(t.background).toEqual([])
  })

  it('in the background keeps everything from the window: messages go to the notices, conversation and muted changes to the unread count', () => {
    const t = setup()
    t.hide()
    t.events.emit('conversations', { upserted: [conv(CONV_A)], removed: [] })
    t.events.emit('muted', [CONV_A])
    t.events.emit('messages', { conversationId: CONV_A, upserted: [msg(1, 'psst')] })
    t.events.emit('presence', [])
    t.events.emit('connection', { status: 'online', queued: 0, syncing: false, error: null })
    t.window.flush()
    expect(t.batches).toEqual([])
    expect(t.unreadChecks).toHaveLength(2)
    expect(t.background).toEqual(['psst'])
  })
})
