// For the end-to-end tests only, in the browser host (never in Electron):
// window.__messengerCalls reads each connection's counters, so a test sees
// that audio, video and screen frames flow, and can restart ICE.
import type { StoreApi } from 'zustand'
import type { CallsSlice } from '../store/calls'
import type { PeerStats } from './stats'

export interface CallsTestHook {
  stats(): Promise<Array<{ peerId: string } & PeerStats>>
  /** New ICE credentials on every connection of this window's call (what a network change does). */
  restartIce(): void
}

declare global {
  interface Window {
    __messengerCalls?: CallsTestHook
  }
}

export function exposeCallsTestHook(store: Pick<StoreApi<CallsSlice>, 'getState'>): void {
  window.__messengerCalls = {
    stats: () => store.getState().callStats(),
    restartIce: () => store.getState().restartCallIce()
  }
}
