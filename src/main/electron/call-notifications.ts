// Whether a ringing call deserves a desktop notification, and its words.
// Pure, like notifications.ts for messages: call-ringer.ts only shows what
// this returns, and closes it when the call stops ringing.
import type { CallRing } from '../core/calls'

export interface CallNotifyContext {
  doNotDisturb: boolean
  /** The account the window shows: its ring card is in view when the window is focused. */
  shownAccountId: string | null
  windowFocused: boolean
  /** The ringing account's name, when this app has more than one ("Front office"): said in the title. */
  account: string | null
}

export interface CallNotificationSpec {
  title: string
  body: string
}

export function decideCallNotification(ring: CallRing, ctx: CallNotifyContext): CallNotificationSpec | null {
  if (!ring.ringing || ctx.doNotDisturb || ring.muted) return null
  // The window's own ring card shows it, with its buttons.
  if (ctx.windowFocused && ring.accountId === ctx.shownAccountId) return null
  const { call, conversation } = ring
  const caller = conversation?.members.find((m) => m.user.id === call.startedBy)?.user.displayName ?? 'Someone'
  const kind = call.media === 'video' ? 'video call' : 'call'
  const group = conversation !== null && conversation.kind !== 'direct'
  const title = (group ? (conversation.title ?? 'Group') : caller) + (ctx.account ? ` · ${ctx.account}` : '')
  const body = group ? `${caller} started a ${kind}` : `Incoming ${kind}`
  return { title, body }
}
