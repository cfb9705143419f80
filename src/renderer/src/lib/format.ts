// Words and times as a person reads them.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import { memberName } from '../store/selectors'

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
const short = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })

export function clock(iso: string): string {
  return time.format(new Date(iso))
}

export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso)
  if (sameDay(d, now)) return 'Today'
  const yesterday = new Date(now)
  yesterday.setDate(now.getDate() - 1)
  if (sameDay(d, yesterday)) return 'Yesterday'
  return day.format(d)
}

/** Sidebar time: clock today, otherwise the date. */
export function listTime(iso: string, now = new Date()): string {
  const d = new Date(iso)
  return sameDay(d, now) ? time.format(d) : short.format(d)
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

export function lastSeen(iso: string | null, now = Date.now()): string {
  if (!iso) return 'offline'
  const minutes = Math.round((now - new Date(iso).getTime()) / 60_000)
  if (minutes < 1) return 'last seen just now'
  if (minutes < 60) return `last seen ${minutes} min ago`
  return `last seen ${dayLabel(iso).toLowerCase() === 'today' ? 'today' : dayLabel(iso)} at ${clock(iso)}`
}

/** A system message in words, with names as they are now. */
export function systemText(m: Message, c: Conversation | undefined): string {
  const who = memberName(c, m.senderId)
  const e = m.system
  if (!e) return ''
  // Rooms share the group events; they are called what the person chose to make.
  const place = c?.kind === 'room' ? 'room' : 'group'
  switch (e.type) {
    case 'group_created':
      return `${who} created the ${place} “${e.title}”`
    case 'members_added':
      return `${who} added ${e.userIds.map((id) => memberName(c, id)).join(', ')}`
    case 'member_removed':
      return `${who} removed ${memberName(c, e.userId)}`
    case 'member_left':
      return `${memberName(c, e.userId)} left`
    case 'member_joined':
      return `${memberName(c, e.userId)} joined${e.via === 'join_code' ? ' with a join code' : ''}`
    case 'role_changed':
      return `${who} made ${memberName(c, e.userId)} ${e.role === 'admin' ? 'an admin' : 'a member'}`
    case 'group_renamed':
      return `${who} renamed the ${place} to “${e.title}”`
    case 'description_changed':
      return `${who} changed the description`
    case 'avatar_changed':
      return e.removed ? `${who} removed the ${place} picture` : `${who} changed the ${place} picture`
    case 'join_code_changed':
      return e.enabled ? `${who} made a new join code` : `${who} turned off the join code`
  }
}

/** One line for the sidebar. */
export function preview(m: Message | null, c: Conversation, meId: string | null): string {
  if (!m) return 'No messages yet'
  if (m.deletedAt) return 'Message deleted'
  if (m.kind === 'system') return systemText(m, c)
  const prefix = m.senderId === meId ? 'You: ' : c.kind === 'direct' ? '' : `${memberName(c, m.senderId)}: `
  const files = m.attachments?.length ? `${m.attachments.length > 1 ? 'Files' : 'File'}: ${m.attachments.map((a) => a.name).join(', ')} ` : ''
  return prefix + files + m.text.replace(/\s+/g, ' ')
}

/** 1536 → "1.5 KB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}
