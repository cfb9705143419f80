// Issue 21 item 4: the user's scheduled messages, as main's cache and events
// report them, and the actions that schedule, change, send and delete them.
import type { MessengerApi } from '../../../shared/ipc'
import type { ScheduledMessage } from '../../../shared/schemas/scheduled'
import { i18n } from '../i18n'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

export interface ScheduledSlice {
  /** Soonest first. */
  scheduled: ScheduledMessage[]
  applyScheduled(list: ScheduledMessage[]): void
  loadScheduled(): Promise<void>
  scheduleMessage(request: ScheduleRequest): Promise<void>
  updateScheduled(id: string, patch: { text?: string; sendAt?: string }): Promise<void>
  sendScheduledNow(id: string): Promise<void>
  /** Asks first (the app's confirm dialog); false when the person said no. */
  deleteScheduled(id: string): Promise<boolean>
}

/** What the composer schedules (the core adds the clientId). */
type ScheduleRequest = Parameters<MessengerApi['scheduled']['create']>[0]

const soonestFirst = (a: ScheduledMessage, b: ScheduledMessage): number => Date.parse(a.sendAt) - Date.parse(b.sendAt)

export const createScheduledSlice: Slice<ScheduledSlice> = (set, get) => {
  const upsert = (item: ScheduledMessage): void => set((s) => ({ scheduled: [...s.scheduled.filter((x) => x.id !== item.id), item].sort(soonestFirst) }))
  const drop = (id: string): void => set((s) => ({ scheduled: s.scheduled.filter((x) => x.id !== id) }))
  return {
    scheduled: [],
    applyScheduled(scheduled) {
      set({ scheduled })
    },
    async loadScheduled() {
      set({ scheduled: await unwrap(api().scheduled.list()) })
    },
    async scheduleMessage(request) {
      upsert(await unwrap(api().scheduled.create(request)))
    },
    async updateScheduled(id, patch) {
      upsert(await unwrap(api().scheduled.update({ id, ...patch })))
    },
    async sendScheduledNow(id) {
      await unwrap(api().scheduled.sendNow({ id }))
      drop(id)
    },
    async deleteScheduled(id) {
      const yes = await get().confirm({
        title: i18n.t('scheduled.delete.title'),
        body: i18n.t('scheduled.delete.body'),
        action: i18n.t('scheduled.delete.action')
      })
      if (!yes) return false
      await unwrap(api().scheduled.cancel({ id }))
      drop(id)
      return true
    }
  }
}
