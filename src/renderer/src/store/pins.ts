// Issue 20: pinned messages per conversation and the user's saved messages,
// as main's cache and events report them, and the actions that change them.
import type { MessengerEvents } from '../../../shared/ipc'
import type { Pin } from '../../../shared/schemas/pins'
import type { SavedItem } from '../../../shared/schemas/saved'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

export interface PinsSlice {
  /** By conversation id, newest pin first; a conversation not loaded yet is absent. */
  pins: Record<string, Pin[]>
  /** Newest first. */
  saved: SavedItem[]
  applyPins(event: MessengerEvents['pins']): void
  applySaved(saved: SavedItem[]): void
  /** From the server when online, else main's cache. */
  loadPins(conversationId: string): Promise<void>
  loadSaved(): Promise<void>
  /** Forgets the other account's lists (an account switch). */
  resetPins(): void
  pin(conversationId: string, seq: number): Promise<void>
  unpin(conversationId: string, seq: number): Promise<void>
  save(conversationId: string, seq: number): Promise<void>
  unsave(conversationId: string, seq: number): Promise<void>
}

export const createPinsSlice: Slice<PinsSlice> = (set) => {
  const putPins = (conversationId: string, pins: Pin[]): void => set((s) => ({ pins: { ...s.pins, [conversationId]: pins } }))
  return {
    pins: {},
    saved: [],
    applyPins({ conversationId, pins }) {
      putPins(conversationId, pins)
    },
    applySaved(saved) {
      set({ saved })
    },
    async loadPins(conversationId) {
      putPins(conversationId, await unwrap(api().pins.list({ conversationId })))
    },
    async loadSaved() {
      set({ saved: await unwrap(api().saved.list()) })
    },
    resetPins() {
      set({ pins: {}, saved: [] })
    },
    async pin(conversationId, seq) {
      putPins(conversationId, await unwrap(api().pins.pin({ conversationId, seq })))
    },
    async unpin(conversationId, seq) {
      putPins(conversationId, await unwrap(api().pins.unpin({ conversationId, seq })))
    },
    async save(conversationId, seq) {
      const item = await unwrap(api().saved.save({ conversationId, seq }))
      set((s) => ({ saved: [item, ...s.saved.filter((x) => !(x.conversationId === conversationId && x.seq === seq))] }))
    },
    async unsave(conversationId, seq) {
      await unwrap(api().saved.unsave({ conversationId, seq }))
      set((s) => ({ saved: s.saved.filter((x) => !(x.conversationId === conversationId && x.seq === seq)) }))
    }
  }
}
